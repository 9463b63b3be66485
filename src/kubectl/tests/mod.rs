//! kubectl's tests that cross verbs — whole scenarios from the seeds, Services end to end, pod
//! lifecycles and pod shells — and the helpers every kubectl test uses ([`testutil`]). Tests of
//! one verb stay beside it.

mod api_door;
mod pod_lifecycle;
mod pod_shell;
mod scenario;
mod service;
pub mod testutil;
