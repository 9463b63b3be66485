//! Test fixtures: stored state written as etcd would hold it, for unit tests that need a state
//! no controller would reach in time (a pod that is Ready without a kubelet, Endpoints nobody
//! computed). Compiled only for the crate's own tests; everything else goes through the verbs.

use std::sync::Arc;

use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

impl Cluster {
    /// Store `obj` as it is, creating or replacing it: no defaulting, validation or admission.
    pub fn put_stored(&self, obj: Object) -> Arc<Object> {
        let key = Key::of(&obj);
        if self.store().get(&key).is_some() {
            self.store().update(&key, |o| *o = obj).expect("present above")
        } else {
            self.store().create(obj, self.clock().now()).expect("absent above")
        }
    }

    /// Remove an object from storage at once, finalizers and grace periods aside.
    pub fn remove_stored(&self, kind: Kind, namespace: &str, name: &str) -> Result<Arc<Object>, ApiError> {
        self.store().remove(&Key::new(kind, namespace, name))
    }
}
