//! An in-memory fake Stamps server for testing code that uses the SDK (the `fake`
//! feature).
