//! The linker: imports resolved by module and field name.

use crate::error::{Error, Result};
use crate::externals::Extern;
use crate::instance::Instance;
use crate::module::Module;
use crate::store::{AsStore, AsStoreMut};
use std::collections::HashMap;
use std::marker::PhantomData;

/// Named definitions from which modules are instantiated.
pub struct Linker<T> {
    defs: HashMap<(String, String), Extern>,
    _store: PhantomData<fn(T)>,
}

impl<T> Default for Linker<T> {
    fn default() -> Self {
        Linker {
            defs: HashMap::new(),
            _store: PhantomData,
        }
    }
}

impl<T> Linker<T> {
    /// An empty linker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defines `module`.`name` (replacing an earlier definition).
    pub fn define(&mut self, module: &str, name: &str, item: impl Into<Extern>) -> &mut Self {
        self.defs
            .insert((module.to_string(), name.to_string()), item.into());
        self
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        store: &impl AsStore,
        module: &str,
        instance: Instance,
    ) -> &mut Self {
        for (name, ext) in instance.exports(store) {
            self.define(module, &name, ext);
        }
        self
    }

    /// The definition of `module`.`name`, if any.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.defs
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }

    /// Resolves `module`'s imports by name and instantiates it.
    pub fn instantiate(
        &self,
        store: &mut impl AsStoreMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let imports = module
            .imports()
            .iter()
            .map(|i| {
                self.get(&i.module, &i.name).ok_or_else(|| {
                    Error::Link(format!(
                        "unknown import: `{}`.`{}` ({}) is not defined",
                        i.module,
                        i.name,
                        i.ty.kind_name()
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Instance::new(store, module, &imports)
    }
}
