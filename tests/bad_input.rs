//! The bad-input corpus (`tests/fixtures/bad-input/`): broken YAML, tabs, wrong types, unknown
//! fields and kinds, missing type information, empty files, invalid UTF-8, bad names and values,
//! plus a huge and a deeply nested document made here. Each must give its message (kubectl's
//! wording, with line and column for YAML), never panic, and leave the cluster exactly as it was.

mod support;

use support::cluster::snapshot;
use support::lab::run;

use std::path::{Path, PathBuf};
use std::time::Duration;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input")
}

/// (file, what `kubectl apply -f FILE` must print). Files not in the corpus folder are made by
/// [`generated`].
const CASES: &[(&str, &str)] = &[
    (
        "broken-indent.yaml",
        "error: error parsing broken-indent.yaml: error converting YAML to JSON: yaml: line 5, column 2: did not find expected key\n",
    ),
    (
        "tab-indent.yaml",
        "error: error parsing tab-indent.yaml: error converting YAML to JSON: yaml: line 4, column 1: found character that cannot start any token\n",
    ),
    (
        "invalid-utf8.yaml",
        "error: error parsing invalid-utf8.yaml: error converting YAML to JSON: yaml: line 6, column 7: invalid leading UTF-8 octet\n",
    ),
    ("empty.yaml", "error: no objects passed to apply\n"),
    (
        "no-kind.yaml",
        "error: error validating \"no-kind.yaml\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n",
    ),
    (
        "not-an-object.yaml",
        "error: error validating \"not-an-object.yaml\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false\n",
    ),
    (
        "wrong-kind.yaml",
        "error: resource mapping not found for name: \"x\" namespace: \"\" from \"wrong-kind.yaml\": no matches for kind \"Servce\" in version \"v1\"\nensure CRDs are installed first\n",
    ),
    (
        "unknown-field.yaml",
        "Error from server (BadRequest): error when creating \"unknown-field.yaml\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.prots\"\n",
    ),
    (
        "wrong-type.yaml",
        "Error from server (BadRequest): error when creating \"wrong-type.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n",
    ),
    (
        "bad-name.yaml",
        "The Pod \"Web_1\" is invalid: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
    ),
    (
        "out-of-range.yaml",
        "The Service \"big-port\" is invalid: spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767\n",
    ),
    (
        "huge.yaml",
        "Error from server (RequestEntityTooLarge): error when creating \"huge.yaml\": Request entity too large: limit is 3145728\n",
    ),
    (
        "big.yaml",
        "The ConfigMap \"big\" is invalid: \n* metadata.annotations: Too long: may not be more than 262144 bytes\n* []: Too long: may not be more than 1048576 bytes\n",
    ),
    (
        "deep-nesting.yaml",
        "error: error parsing deep-nesting.yaml: error converting YAML to JSON: yaml: line 6, column 132: recursion limit exceeded\n",
    ),
];

/// The corpus files too big or too odd to keep in the repository.
fn generated(name: &str) -> Option<Vec<u8>> {
    let doc = |name: &str, data: String| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: {data}\n")
    };
    match name {
        // 2 MB of data is 4 MB with apply's annotation: over the API server's request limit.
        "huge.yaml" => Some(doc("huge", format!("\"{}\"", "x".repeat(2_000_000))).into_bytes()),
        // 1.2 MB fits one request, but not a ConfigMap nor the annotations.
        "big.yaml" => Some(doc("big", format!("\"{}\"", "x".repeat(1_200_000))).into_bytes()),
        "deep-nesting.yaml" => Some(doc("deep", format!("{}{}", "[".repeat(20_000), "]".repeat(20_000))).into_bytes()),
        _ => None,
    }
}

const BASELINE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";

#[test]
fn every_bad_input_gets_its_message_and_changes_nothing() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let home = std::env::temp_dir().join(format!("k8s-lab-bad-input-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        let mut s = support::lab::session_for(None, 61, &home).await;
        for (name, _) in CASES {
            let bytes = generated(name).unwrap_or_else(|| std::fs::read(corpus().join(name)).unwrap());
            std::fs::write(home.join(name), bytes).unwrap();
        }
        std::fs::write(home.join("baseline.yaml"), BASELINE).unwrap();
        assert_eq!(run(&mut s, "kubectl apply -f baseline.yaml").await.0, 0);
        run(&mut s, "kubectl rollout status deployment/web").await;
        s.cluster.settle(Duration::from_secs(5)).await;
        let before = snapshot(&s.cluster);
        for (name, expected) in CASES {
            let (code, out) = run(&mut s, &format!("kubectl apply -f {name}")).await;
            assert_eq!(out, *expected, "{name}");
            assert_eq!(code, 1, "{name}");
            s.cluster.settle(Duration::from_secs(5)).await;
            assert_eq!(snapshot(&s.cluster), before, "{name} changed the cluster");
        }
        // A bad edit of something already applied leaves the live object as it was.
        let edited = BASELINE.replace("replicas: 2", "replicas: \"three\"");
        std::fs::write(home.join("baseline.yaml"), edited).unwrap();
        let (code, out) = run(&mut s, "kubectl apply -f baseline.yaml").await;
        assert_eq!(code, 1);
        assert!(
            out.contains(
                "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
            ),
            "{out}"
        );
        s.cluster.settle(Duration::from_secs(5)).await;
        assert_eq!(snapshot(&s.cluster), before, "a bad re-apply changed the cluster");
        s.cluster.shutdown();
        let _ = std::fs::remove_dir_all(&home);
    });
}

#[test]
fn the_corpus_folder_has_a_case_for_every_file() {
    let mut files: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut named: Vec<String> = CASES
        .iter()
        .map(|(n, _)| n.to_string())
        .filter(|n| generated(n).is_none())
        .collect();
    named.sort();
    assert_eq!(files, named);
}
