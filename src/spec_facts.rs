//! What build.rs reads off the spec for the hooks, beyond progenitor's client: which
//! body fields are secret (`format: password`), which operations send them, and which
//! take no `Authorization` header (`security: []`), and which also send the credential in
//! their body or query (`x-stamps-credential-copy`). Generated, like the client.

include!(concat!(env!("OUT_DIR"), "/security.rs"));
