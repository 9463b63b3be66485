//! `kubectl version` and `kubectl api-resources`: what the lab's client and server are.

use super::args::Parsed;
use super::tabwriter::TabWriter;
use super::Ctx;
use crate::io::Output;
use crate::runtime::kinds::KINDS;
use crate::runtime::seed::KUBELET_VERSION;

/// The kubectl release the lab imitates.
pub const CLIENT_VERSION: &str = "v1.33.1";
/// The kustomize bundled with kubectl v1.33.
pub const KUSTOMIZE_VERSION: &str = "v5.6.0";

/// `kubectl version [--client]`.
pub async fn version(_ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    out.line(&format!("Client Version: {CLIENT_VERSION}"));
    out.line(&format!("Kustomize Version: {KUSTOMIZE_VERSION}"));
    if !p.on("client") {
        out.line(&format!("Server Version: {KUBELET_VERSION}"));
    }
    0
}

/// `kubectl api-resources [--namespaced=true|false] [--no-headers] [-o name]`.
pub async fn api_resources(_ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let namespaced = p.get("namespaced").map(|v| v != "false");
    let kinds = KINDS.iter().filter(|k| namespaced.is_none_or(|n| n == k.namespaced));
    if p.get("output") == Some("name") {
        for k in kinds {
            out.line(&k.qualified_plural());
        }
        return 0;
    }
    let mut rows = Vec::new();
    if !p.on("no-headers") {
        rows.push(
            ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
                .map(String::from)
                .to_vec(),
        );
    }
    for k in kinds {
        rows.push(vec![
            k.plural.to_string(),
            k.short_names.join(","),
            k.api_version(),
            k.namespaced.to_string(),
            k.name.to_string(),
        ]);
    }
    out.out(&TabWriter::new().render(&rows));
    0
}

#[cfg(test)]
mod tests {
    use crate::kubectl::tests::testutil::{cluster, kubectl};

    #[tokio::test(start_paused = true)]
    async fn version_and_resources() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "version --client").await.1,
            "Client Version: v1.33.1\nKustomize Version: v5.6.0\n"
        );
        let (_, t) = kubectl(&c, "api-resources").await;
        assert!(t.starts_with("NAME             SHORTNAMES   APIVERSION            NAMESPACED   KIND\nconfigmaps       cm           v1                    true         ConfigMap\n"), "{t}");
        assert!(
            t.contains("\ndeployments      deploy       apps/v1               true         Deployment\n"),
            "{t}"
        );
    }
}
