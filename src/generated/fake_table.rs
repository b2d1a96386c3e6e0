//! What the fake server serves (`ROUTES`, the schemas, the fixed answers), rendered by build.rs
//! (`stamps_codegen::fake`). `src/fake/engine.rs` mounts this file as its child, so that
//! the rows build its private `RouteData`.

use super::RouteData;

include!(concat!(env!("OUT_DIR"), "/fake_table.rs"));
