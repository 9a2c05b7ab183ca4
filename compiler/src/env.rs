//! The module-level facts function translation needs: the shared wasm
//! front end of every tier, [`kiln_format::module_env`].

pub use kiln_format::module_env::{ModuleEnv, FEATURES};
