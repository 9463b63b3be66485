//! What runs inside a pod for `kubectl exec` and `kubectl run -it`, and the lab's own `curl`
//! (which the host shell uses too, with [`Origin::Host`]).

use crate::runtime::net::Origin;
use crate::runtime::Cluster;
use crate::shell::io::Output;

/// `curl ARGS…` from `origin`. Returns curl's exit code.
pub async fn curl(cluster: &Cluster, origin: &Origin, args: &[String], out: &Output) -> i32 {
    let _ = (cluster, origin, args);
    out.err_line("curl: not available yet");
    2
}

/// Run `argv` in container `container` (first one if `None`) of a pod. Returns the exit code;
/// errors are printed the way kubectl prints them.
pub async fn exec(
    cluster: &Cluster,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    argv: &[String],
    stdin: Option<&str>,
    out: &Output,
) -> i32 {
    let _ = (cluster, namespace, pod, container, argv, stdin);
    out.err_line("error: exec is not available yet");
    1
}
