//! The hostile-input corpus: manifests and command lines made to break a lab — alias bombs,
//! ten thousand levels of nesting, megabytes in one line, names one character too long, ports
//! out of range, paths and symbolic links out of the lesson folder, loops the shell does not
//! have. Each case is a row of a table with the exact text it must print (kubectl's and the
//! API server's wording, line and column for YAML), and after each one the next command still
//! works and the cluster is as it was (cases that create something are cleaned up and then
//! compared). Big inputs are made here, not committed; `tests/fixtures/hostile/` holds the few
//! that are better as files (bytes an editor would mangle).
//!
//! `HOSTILE_PRINT=1 cargo test --test hostile -- --nocapture` prints what every case printed,
//! to review a new row.

mod support;

use support::cluster::snapshot;
use support::lab::run;

use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_lab::shell::Session;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn printing() -> bool {
    std::env::var_os("HOSTILE_PRINT").is_some()
}

/// The text a case printed, shortened for a failure message.
fn short(s: &str) -> String {
    if s.len() <= 2000 {
        s.to_string()
    } else {
        let mut cut = 2000;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}… ({} bytes)", &s[..cut], s.len())
    }
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ";

fn cm(name: &str) -> String {
    format!("{CM}{name}\n")
}

fn svc(name: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

fn deploy(name: &str, spec: &str) -> String {
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

fn pod(name: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

/// The API server's messages, spelled out once.
const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_1123: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_1035: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";
const NODE_PORT_RANGE: &str = "provided port is not in the valid range. The range of valid ports is 30000-32767";
const VALIDATE_OFF: &str = "if you choose to ignore these errors, turn validation off with --validate=false";

/// `The Kind "name" is invalid: field: detail` for one cause, the bulleted form for several.
fn invalid(kind: &str, name: &str, causes: &[&str]) -> String {
    match causes {
        [one] => format!("The {kind} \"{name}\" is invalid: {one}\n"),
        many => {
            let mut s = format!("The {kind} \"{name}\" is invalid: \n");
            for c in many {
                s.push_str(&format!("* {c}\n"));
            }
            s
        }
    }
}

fn yaml_error(file: &str, at: &str) -> String {
    format!("error: error parsing {file}: error converting YAML to JSON: yaml: {at}\n")
}

fn bad_request(file: &str, kind: &str, message: &str) -> String {
    format!(
        "Error from server (BadRequest): error when creating \"{file}\": {kind} in version \"v1\" cannot be handled as a {kind}: {message}\n"
    )
}

/// One manifest case: the file, its text (`None`: a fixture of that name), what
/// `kubectl apply -f FILE` prints and its exit code.
struct Manifest {
    file: String,
    text: Option<Vec<u8>>,
    expect: String,
    code: i32,
}

fn m(file: &str, text: impl Into<Vec<u8>>, expect: impl Into<String>) -> Manifest {
    let expect = expect.into();
    let code = i32::from(
        !expect
            .lines()
            .all(|l| l.ends_with(" created") || l.ends_with(" unchanged")),
    );
    Manifest {
        file: file.into(),
        text: Some(text.into()),
        expect,
        code,
    }
}

fn fixture(file: &str, expect: impl Into<String>) -> Manifest {
    let mut c = m(file, Vec::new(), expect);
    c.text = None;
    c
}

/// `depth` nested flow sequences as one value.
fn nested_flow(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// The billion laughs: `levels` anchors, each ten aliases of the one before.
fn laughs(levels: usize) -> String {
    let mut s = format!("{CM}lol\ndata:\n  a: &a \"lol\"\n");
    let names: Vec<String> = (0..levels).map(|i| format!("l{i}")).collect();
    let mut prev = "a".to_string();
    for n in &names {
        s.push_str(&format!("  {n}: &{n} [{}]\n", vec![format!("*{prev}"); 10].join(",")));
        prev = n.clone();
    }
    s
}

fn manifests() -> Vec<Manifest> {
    let long = |n: usize| "a".repeat(n);
    let ports = |p: &str| format!("  ports:\n  - {p}\n");
    let template = |containers: &str| {
        format!(
            "  selector:\n    matchLabels: {{app: x}}\n  template:\n    metadata:\n      labels: {{app: x}}\n    spec:\n      containers:\n{containers}"
        )
    };
    let c = |line: &str| format!("      - {line}\n");
    let mut v = vec![
        // YAML that does not parse.
        fixture("tab-indent.yaml", yaml_error("tab-indent.yaml", "line 4, column 1: found character that cannot start any token")),
        fixture("invalid-utf8.yaml", yaml_error("invalid-utf8.yaml", "line 6, column 12: invalid leading UTF-8 octet")),
        m("unclosed-flow.yaml", format!("{CM}x\ndata: {{a: [1, 2\n"), yaml_error("unclosed-flow.yaml", "line 6, column 1: did not find expected ',' or ']'")),
        m("unclosed-quote.yaml", format!("{CM}\"x\n"), yaml_error("unclosed-quote.yaml", "line 5, column 1: found unexpected end of stream")),
        m("mapping-in-value.yaml", format!("{CM}x: y\n"), yaml_error("mapping-in-value.yaml", "line 4, column 10: mapping values are not allowed in this context")),
        m("bad-indent.yaml", format!("{CM}x\n   labels: {{}}\n"), yaml_error("bad-indent.yaml", "line 5, column 10: mapping values are not allowed in this context")),
        m("undefined-alias.yaml", format!("{CM}x\ndata: *nope\n"), yaml_error("undefined-alias.yaml", "line 5, column 7: unknown anchor")),
        // Alias bombs: Go's words, no place (it has none either).
        m("laughs.yaml", laughs(9), yaml_error("laughs.yaml", "document contains excessive aliasing")),
        m("laughs-deep.yaml", laughs(30), yaml_error("laughs-deep.yaml", "document contains excessive aliasing")),
        m(
            "quadratic.yaml",
            format!("{CM}q\ndata:\n  a: &a [{}]\n  b: [{}]\n", vec!["x"; 50_000].join(","), vec!["*a"; 500].join(",")),
            yaml_error("quadratic.yaml", "document contains excessive aliasing"),
        ),
        m(
            "long-string-alias.yaml",
            format!("{CM}s\ndata:\n  a: &a \"{}\"\n  b: [{}]\n", "x".repeat(100_000), vec!["*a"; 100].join(",")),
            yaml_error("long-string-alias.yaml", "document contains excessive aliasing"),
        ),
        m("few-aliases.yaml", format!("{CM}few-aliases\n  labels: &l {{app: web}}\n  annotations: *l\n"), "configmap/few-aliases created\n"),
        // Nesting: an error at its place, never a stack overflow.
        m("deep-flow.yaml", format!("{CM}deep\ndata:\n  k: {}\n", nested_flow(10_000)), yaml_error("deep-flow.yaml", "line 6, column 132: recursion limit exceeded")),
        m("deep-json.yaml", format!("{{\"a\": {}1{}}}\n", "{\"b\": ".repeat(10_000), "}".repeat(10_000)), yaml_error("deep-json.yaml", "line 1, column 769: recursion limit exceeded")),
        m("deep-block.yaml", format!("{}x\n", "- ".repeat(10_000)), yaml_error("deep-block.yaml", "line 1, column 257: recursion limit exceeded")),
        m("deep-but-fine.yaml", format!("{CM}deep-but-fine\ndata:\n  k: \"{}\"\n", nested_flow(100)), "configmap/deep-but-fine created\n"),
        // YAML that parses but is no JSON.
        m("inf.yaml", format!("{CM}inf\ndata:\n  k: .inf\n"), "error: error parsing inf.yaml: error converting YAML to JSON: json: unsupported value: +Inf\n"),
        m("nan.yaml", format!("{CM}nan\ndata:\n  k: .nan\n"), "error: error parsing nan.yaml: error converting YAML to JSON: json: unsupported value: NaN\n"),
        // Keys: the last of a repeated key wins, as sigs.k8s.io/yaml converts; numbers and
        // booleans become strings.
        m("duplicate-keys.yaml", format!("{CM}first\n  name: duplicate-keys\ndata:\n  a: one\n  a: two\n"), "configmap/duplicate-keys created\n"),
        m("scalar-keys.yaml", format!("{CM}scalar-keys\ndata:\n  1: one\n  true: yes\n"), "configmap/scalar-keys created\n"),
        // Odd but fine bytes.
        fixture("bom.yaml", "configmap/bom created\n"),
        fixture("crlf.yaml", "configmap/crlf created\n"),
        fixture("utf16.yaml", "configmap/utf16 created\n"),
        m("json.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"from-json\"}}", "configmap/from-json created\n"),
        // Nothing in it.
        m("empty.yaml", "", "error: no objects passed to apply\n"),
        m("comments.yaml", "# just\n# comments\n", "error: no objects passed to apply\n"),
        m("separators.yaml", "---\n---\n---\n", "error: no objects passed to apply\n"),
        m("null.yaml", "null\n", "error: no objects passed to apply\n"),
        // Not an object, or no type.
        m("scalar.yaml", "hello\n", format!("error: error validating \"scalar.yaml\": error validating data: invalid object to validate; {VALIDATE_OFF}\n")),
        m("sequence.yaml", "- a\n- b\n", format!("error: error validating \"sequence.yaml\": error validating data: invalid object to validate; {VALIDATE_OFF}\n")),
        m("no-type.yaml", "metadata:\n  name: x\n", format!("error: error validating \"no-type.yaml\": error validating data: [apiVersion not set, kind not set]; {VALIDATE_OFF}\n")),
        m("no-api-version.yaml", "kind: ConfigMap\nmetadata:\n  name: x\n", format!("error: error validating \"no-api-version.yaml\": error validating data: apiVersion not set; {VALIDATE_OFF}\n")),
        m("no-kind.yaml", "apiVersion: v1\nmetadata:\n  name: x\n", format!("error: error validating \"no-kind.yaml\": error validating data: kind not set; {VALIDATE_OFF}\n")),
        m("number-api-version.yaml", "apiVersion: 1\nkind: ConfigMap\nmetadata:\n  name: x\n", format!("error: error validating \"number-api-version.yaml\": error validating data: apiVersion isn't string type; {VALIDATE_OFF}\n")),
        m("list-kind.yaml", "apiVersion: v1\nkind: [ConfigMap]\nmetadata:\n  name: x\n", format!("error: error validating \"list-kind.yaml\": error validating data: kind isn't string type; {VALIDATE_OFF}\n")),
        m("three-part-version.yaml", "apiVersion: a/b/c\nkind: ConfigMap\nmetadata:\n  name: x\n", format!("error: error validating \"three-part-version.yaml\": error validating data: unexpected GroupVersion string: a/b/c; {VALIDATE_OFF}\n")),
        m("unknown-kind.yaml", "apiVersion: v1\nkind: Servce\nmetadata:\n  name: x\n", "error: resource mapping not found for name: \"x\" namespace: \"\" from \"unknown-kind.yaml\": no matches for kind \"Servce\" in version \"v1\"\nensure CRDs are installed first\n"),
        m("wrong-version.yaml", "apiVersion: v2\nkind: ConfigMap\nmetadata:\n  name: x\n", "error: resource mapping not found for name: \"x\" namespace: \"\" from \"wrong-version.yaml\": no matches for kind \"ConfigMap\" in version \"v2\"\nensure CRDs are installed first\n"),
        m("wrong-group.yaml", "apiVersion: apps/v1\nkind: Service\nmetadata:\n  name: x\n", "error: resource mapping not found for name: \"x\" namespace: \"\" from \"wrong-group.yaml\": no matches for kind \"Service\" in version \"apps/v1\"\nensure CRDs are installed first\n"),
        // Values of the wrong type, as the API server's JSON decoder words them.
        m("replicas-string.yaml", deploy("x", "  replicas: \"three\"\n"), "Error from server (BadRequest): error when creating \"replicas-string.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n"),
        m("replicas-float.yaml", deploy("x", "  replicas: 1.5\n"), "Error from server (BadRequest): error when creating \"replicas-float.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32\n"),
        m("replicas-huge.yaml", deploy("x", "  replicas: 99999999999\n"), "Error from server (BadRequest): error when creating \"replicas-huge.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 99999999999 into Go struct field DeploymentSpec.spec.replicas of type int32\n"),
        m("port-string.yaml", svc("x", "  ports:\n  - port: \"80\"\n"), bad_request("port-string.yaml", "Service", "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32")),
        m("labels-list.yaml", format!("{CM}x\n  labels: [a, b]\n"), bad_request("labels-list.yaml", "ConfigMap", "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string")),
        m("data-number.yaml", format!("{CM}x\ndata:\n  a: 1\n"), bad_request("data-number.yaml", "ConfigMap", "json: cannot unmarshal number into Go struct field ConfigMap.data of type string")),
        m("metadata-string.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: x\n", bad_request("metadata-string.yaml", "ConfigMap", "json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta")),
        m("containers-map.yaml", pod("x", "  containers: {name: a}\n"), bad_request("containers-map.yaml", "Pod", "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container")),
        m("unknown-field.yaml", format!("{CM}x\nspec: {{}}\n"), bad_request("unknown-field.yaml", "ConfigMap", "strict decoding error: unknown field \"spec\"")),
        m("unknown-fields.yaml", svc("x", "  prots: []\n  selectr: {}\n"), bad_request("unknown-fields.yaml", "Service", "strict decoding error: unknown field \"spec.prots\", unknown field \"spec.selectr\"")),
        m("bad-base64.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  k: \"not base64!\"\n", bad_request("bad-base64.yaml", "Secret", "illegal base64 data at input byte 3")),
        // Names.
        m("capital-name.yaml", cm("Web"), invalid("ConfigMap", "Web", &[&format!("metadata.name: Invalid value: \"Web\": {SUBDOMAIN}")])),
        m("underscore-name.yaml", cm("web_1"), invalid("ConfigMap", "web_1", &[&format!("metadata.name: Invalid value: \"web_1\": {SUBDOMAIN}")])),
        m("name-253.yaml", cm(&long(253)), "configmap/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa created\n"),
        m("name-254.yaml", cm(&long(254)), invalid("ConfigMap", &long(254), &[&format!("metadata.name: Invalid value: \"{}\": must be no more than 253 characters", long(254))])),
        m("name-254-capital.yaml", cm(&format!("A{}", long(253))), invalid("ConfigMap", &format!("A{}", long(253)), &[&format!("metadata.name: Invalid value: \"A{0}\": must be no more than 253 characters", long(253)), &format!("metadata.name: Invalid value: \"A{}\": {SUBDOMAIN}", long(253))])),
        m("long-label-in-subdomain.yaml", cm(&format!("{}.x", long(100))), format!("configmap/{}.x created\n", long(100))),
        m("service-name-63.yaml", svc(&long(63), "  ports:\n  - port: 80\n"), format!("service/{} created\n", long(63))),
        m("service-name-64.yaml", svc(&long(64), "  ports:\n  - port: 80\n"), invalid("Service", &long(64), &[&format!("metadata.name: Invalid value: \"{}\": must be no more than 63 characters", long(64))])),
        m("service-name-digit.yaml", svc("1web", "  ports:\n  - port: 80\n"), invalid("Service", "1web", &[&format!("metadata.name: Invalid value: \"1web\": {LABEL_1035}")])),
        m("service-name-dot.yaml", svc("web.v1", "  ports:\n  - port: 80\n"), invalid("Service", "web.v1", &[&format!("metadata.name: Invalid value: \"web.v1\": {LABEL_1035}")])),
        m("namespace-capital.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Team\n", invalid("Namespace", "Team", &[&format!("metadata.name: Invalid value: \"Team\": {LABEL_1123}")])),
        m("namespace-64.yaml", format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n", long(64)), invalid("Namespace", &long(64), &[&format!("metadata.name: Invalid value: \"{}\": must be no more than 63 characters", long(64)), &format!("metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", long(64))])),
        m("missing-namespace.yaml", format!("{CM}x\n  namespace: nope\n"), "Error from server (NotFound): error when creating \"missing-namespace.yaml\": namespaces \"nope\" not found\n"),
        // Labels and annotations.
        m("label-value-64.yaml", format!("{CM}x\n  labels:\n    app: {}\n", long(64)), invalid("ConfigMap", "x", &[&format!("metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", long(64))])),
        m("label-value-space.yaml", format!("{CM}x\n  labels:\n    app: \"my app\"\n"), invalid("ConfigMap", "x", &[&format!("metadata.labels: Invalid value: \"my app\": {LABEL_VALUE}")])),
        m("label-value-empty.yaml", format!("{CM}label-value-empty\n  labels:\n    app: \"\"\n"), "configmap/label-value-empty created\n"),
        m("label-key-slashes.yaml", format!("{CM}x\n  labels:\n    a/b/c: x\n"), invalid("ConfigMap", "x", &[&format!("metadata.labels: Invalid value: \"a/b/c\": a qualified name {QUALIFIED} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")])),
        m("label-key-prefix.yaml", format!("{CM}x\n  labels:\n    Example.com/app: x\n"), invalid("ConfigMap", "x", &[&format!("metadata.labels: Invalid value: \"Example.com/app\": prefix part {SUBDOMAIN}")])),
        m("label-key-empty-name.yaml", format!("{CM}x\n  labels:\n    example.com/: x\n"), invalid("ConfigMap", "x", &["metadata.labels: Invalid value: \"example.com/\": name part must be non-empty", &format!("metadata.labels: Invalid value: \"example.com/\": name part {QUALIFIED}")])),
        m("label-key-64.yaml", format!("{CM}x\n  labels:\n    {}: x\n", long(64)), invalid("ConfigMap", "x", &[&format!("metadata.labels: Invalid value: \"{}\": name part must be no more than 63 characters", long(64))])),
        m("annotation-key.yaml", format!("{CM}x\n  annotations:\n    \"-bad\": x\n"), invalid("ConfigMap", "x", &[&format!("metadata.annotations: Invalid value: \"-bad\": name part {QUALIFIED}")])),
        m("config-key-space.yaml", format!("{CM}x\ndata:\n  \"a b\": x\n"), invalid("ConfigMap", "x", &[&format!("data[a b]: Invalid value: \"a b\": {CONFIG_KEY}")])),
        m("config-key-dots.yaml", format!("{CM}x\ndata:\n  \"..\": x\n"), invalid("ConfigMap", "x", &["data[..]: Invalid value: \"..\": must not be '..'"])),
        // Service ports.
        m("port-0.yaml", svc("x", &ports("port: 0")), invalid("Service", "x", &[&format!("spec.ports[0].port: Invalid value: 0: {PORT_RANGE}"), &format!("spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}")])),
        m("port-70000.yaml", svc("x", &ports("port: 70000")), invalid("Service", "x", &[&format!("spec.ports[0].port: Invalid value: 70000: {PORT_RANGE}"), &format!("spec.ports[0].targetPort: Invalid value: 70000: {PORT_RANGE}")])),
        m("port-negative.yaml", svc("x", &ports("{port: 80, targetPort: -1}")), invalid("Service", "x", &[&format!("spec.ports[0].targetPort: Invalid value: -1: {PORT_RANGE}")])),
        m("target-port-70000.yaml", svc("x", &ports("{port: 80, targetPort: 70000}")), invalid("Service", "x", &[&format!("spec.ports[0].targetPort: Invalid value: 70000: {PORT_RANGE}")])),
        m("target-port-upper.yaml", svc("x", &ports("{port: 80, targetPort: HTTP}")), invalid("Service", "x", &["spec.ports[0].targetPort: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "spec.ports[0].targetPort: Invalid value: \"HTTP\": must contain at least one letter (a-z)"])),
        m("target-port-long.yaml", svc("x", &ports("{port: 80, targetPort: http-web-server1}")), invalid("Service", "x", &["spec.ports[0].targetPort: Invalid value: \"http-web-server1\": must be no more than 15 characters"])),
        m("node-port-99999.yaml", svc("x", "  type: NodePort\n  ports:\n  - {port: 80, nodePort: 99999}\n"), invalid("Service", "x", &[&format!("spec.ports[0].nodePort: Invalid value: 99999: {NODE_PORT_RANGE}")])),
        m("node-port-80.yaml", svc("x", "  type: NodePort\n  ports:\n  - {port: 80, nodePort: 80}\n"), invalid("Service", "x", &[&format!("spec.ports[0].nodePort: Invalid value: 80: {NODE_PORT_RANGE}")])),
        m("node-port-cluster-ip.yaml", svc("x", &ports("{port: 80, nodePort: 30080}")), invalid("Service", "x", &["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"])),
        m("port-names-same.yaml", svc("x", "  ports:\n  - {name: web, port: 80}\n  - {name: web, port: 81}\n"), invalid("Service", "x", &["spec.ports[1].name: Duplicate value: \"web\""])),
        m("port-names-missing.yaml", svc("x", "  ports:\n  - {port: 80}\n  - {port: 81}\n"), invalid("Service", "x", &["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"])),
        m("port-name-upper.yaml", svc("x", &ports("{name: Web, port: 80}")), invalid("Service", "x", &[&format!("spec.ports[0].name: Invalid value: \"Web\": {LABEL_1123}")])),
        m("protocol.yaml", svc("x", &ports("{port: 80, protocol: HTTP}")), invalid("Service", "x", &["spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""])),
        m("service-type.yaml", svc("x", "  type: Public\n  ports:\n  - port: 80\n"), invalid("Service", "x", &["spec.type: Unsupported value: \"Public\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""])),
        m("no-ports.yaml", svc("x", "  selector: {app: x}\n"), invalid("Service", "x", &["spec.ports: Required value"])),
        m("selector-value.yaml", svc("x", "  selector: {app: \"a b\"}\n  ports:\n  - port: 80\n"), invalid("Service", "x", &[&format!("spec.selector: Invalid value: \"a b\": {LABEL_VALUE}")])),
        // Workloads.
        m("replicas-negative.yaml", deploy("x", &format!("  replicas: -1\n{}", template(&c("{name: a, image: nginx}")))), invalid("Deployment", "x", &["spec.replicas: Invalid value: -1: must be greater than or equal to 0"])),
        m("selector-mismatch.yaml", deploy("x", "  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: y}\n    spec:\n      containers:\n      - {name: a, image: nginx}\n"), invalid("Deployment", "x", &["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`"])),
        m("no-selector.yaml", deploy("x", "  template:\n    spec:\n      containers:\n      - {name: a, image: nginx}\n"), invalid("Deployment", "x", &["spec.selector: Required value"])),
        m("no-containers.yaml", deploy("x", &template("        []\n")), invalid("Deployment", "x", &["spec.template.spec.containers: Required value"])),
        m("container-name-upper.yaml", deploy("x", &template(&c("{name: Web, image: nginx}"))), invalid("Deployment", "x", &[&format!("spec.template.spec.containers[0].name: Invalid value: \"Web\": {LABEL_1123}")])),
        m("container-no-image.yaml", deploy("x", &template(&c("{name: a}"))), invalid("Deployment", "x", &["spec.template.spec.containers[0].image: Required value"])),
        m("container-names-same.yaml", deploy("x", &template(&format!("{}{}", c("{name: a, image: nginx}"), c("{name: a, image: nginx}")))), invalid("Deployment", "x", &["spec.template.spec.containers[1].name: Duplicate value: \"a\""])),
        m("container-port-0.yaml", deploy("x", &template(&c("{name: a, image: nginx, ports: [{containerPort: 0}]}"))), invalid("Deployment", "x", &["spec.template.spec.containers[0].ports[0].containerPort: Required value"])),
        m("container-port-70000.yaml", deploy("x", &template(&c("{name: a, image: nginx, ports: [{containerPort: 70000}]}"))), invalid("Deployment", "x", &[&format!("spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: {PORT_RANGE}")])),
        m("host-port.yaml", deploy("x", &template(&c("{name: a, image: nginx, ports: [{containerPort: 80, hostPort: 70000}]}"))), invalid("Deployment", "x", &[&format!("spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 70000: {PORT_RANGE}")])),
        m("container-port-name.yaml", deploy("x", &template(&c("{name: a, image: nginx, ports: [{name: http-web-server1, containerPort: 80}]}"))), invalid("Deployment", "x", &["spec.template.spec.containers[0].ports[0].name: Invalid value: \"http-web-server1\": must be no more than 15 characters"])),
        m("template-label.yaml", deploy("x", "  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x, tier: \"-x\"}\n    spec:\n      containers:\n      - {name: a, image: nginx}\n"), invalid("Deployment", "x", &[&format!("spec.template.labels: Invalid value: \"-x\": {LABEL_VALUE}")])),
        m("pod-no-containers.yaml", pod("x", "  containers: []\n"), invalid("Pod", "x", &["spec.containers: Required value"])),
        m("many-problems.yaml", deploy("Web", &format!("  replicas: -2\n{}", template(&c("{name: a}")))), invalid("Deployment", "Web", &[&format!("metadata.name: Invalid value: \"Web\": {SUBDOMAIN}"), "spec.replicas: Invalid value: -2: must be greater than or equal to 0", "spec.template.spec.containers[0].image: Required value"])),
        // Lists: kubectl applies the items.
        m("list.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: item-a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: item-b}}\n", "configmap/item-a created\nconfigmap/item-b created\n"),
        m("nested-list.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: nested-item}}\n", "configmap/nested-item created\n"),
        m("list-no-kind.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: ok}}\n- {metadata: {name: x}}\n", format!("error: error validating \"list-no-kind.yaml\": error validating data: [apiVersion not set, kind not set]; {VALIDATE_OFF}\n")),
        m("list-unknown-kind.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: list-good}}\n- {apiVersion: v1, kind: Frob, metadata: {name: x}}\n", "configmap/list-good created\nerror: unable to recognize no matches for kind \"Frob\" in version \"v1\"\n"),
        m("list-items-map.yaml", "apiVersion: v1\nkind: List\nitems: {a: b}\n", format!("error: error validating \"list-items-map.yaml\": error validating data: invalid object to validate; {VALIDATE_OFF}\n")),
        m("list-invalid-item.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: list-fine}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: Bad}}\n", format!("configmap/list-fine created\n{}", invalid("ConfigMap", "Bad", &[&format!("metadata.name: Invalid value: \"Bad\": {SUBDOMAIN}")]))),
        // Several documents, one bad: a parse error ends the file there, a bad object is its
        // own error and the others are applied.
        m("multi-syntax.yaml", format!("{}---\n{CM}x\n data: 1\n---\n{}", cm("multi-before"), cm("multi-after")), format!("configmap/multi-before created\n{}", yaml_error("multi-syntax.yaml", "line 10, column 2: did not find expected key"))),
        m("multi-no-kind.yaml", format!("{}---\nmetadata: {{name: x}}\n---\n{}", cm("multi-first"), cm("multi-never")), format!("configmap/multi-first created\nerror: error validating \"multi-no-kind.yaml\": error validating data: [apiVersion not set, kind not set]; {VALIDATE_OFF}\n")),
        m("multi-unknown-kind.yaml", format!("{}---\napiVersion: v1\nkind: Frob\nmetadata: {{name: f}}\n---\n{}", cm("multi-one"), cm("multi-three")), "configmap/multi-one created\nconfigmap/multi-three created\nerror: resource mapping not found for name: \"f\" namespace: \"\" from \"multi-unknown-kind.yaml\": no matches for kind \"Frob\" in version \"v1\"\nensure CRDs are installed first\n"),
        m("multi-invalid.yaml", format!("{}---\n{}---\n{}", cm("multi-a"), cm("Multi_B"), cm("multi-c")), format!("configmap/multi-a created\nconfigmap/multi-c created\n{}", invalid("ConfigMap", "Multi_B", &[&format!("metadata.name: Invalid value: \"Multi_B\": {SUBDOMAIN}")]))),
        m("multi-two-invalid.yaml", format!("{}---\n{}---\n{}", cm("multi-ok"), cm("Bad1"), cm("Bad2")), format!("configmap/multi-ok created\nError from server (Invalid): error when creating \"multi-two-invalid.yaml\": ConfigMap \"Bad1\" is invalid: metadata.name: Invalid value: \"Bad1\": {SUBDOMAIN}\nError from server (Invalid): error when creating \"multi-two-invalid.yaml\": ConfigMap \"Bad2\" is invalid: metadata.name: Invalid value: \"Bad2\": {SUBDOMAIN}\n")),
        m("multi-mixed.yaml", format!("{}---\napiVersion: v1\nkind: Frob\nmetadata: {{name: f}}\n---\n{CM}x\n  namespace: nope\n", cm("multi-mixed-ok")), "configmap/multi-mixed-ok created\nresource mapping not found for name: \"f\" namespace: \"\" from \"multi-mixed.yaml\": no matches for kind \"Frob\" in version \"v1\"\nensure CRDs are installed first\nError from server (NotFound): error when creating \"multi-mixed.yaml\": namespaces \"nope\" not found\n"),
        // Sizes.
        m("data-2mb.yaml", format!("{CM}big\ndata:\n  k: \"{}\"\n", "x".repeat(2_000_000)), "Error from server (RequestEntityTooLarge): error when creating \"data-2mb.yaml\": Request entity too large: limit is 3145728\n"),
        m("data-1200k.yaml", format!("{CM}big\ndata:\n  k: \"{}\"\n", "x".repeat(1_200_000)), invalid("ConfigMap", "big", &["metadata.annotations: Too long: may not be more than 262144 bytes", "[]: Too long: may not be more than 1048576 bytes"])),
        m("annotations-300k.yaml", format!("{CM}x\n  annotations:\n    a: \"{}\"\n", "x".repeat(300_000)), invalid("ConfigMap", "x", &["metadata.annotations: Too long: may not be more than 262144 bytes"])),
        m("file-5mb.yaml", format!("{CM}x\ndata:\n  k: \"{}\"\n", "x".repeat(5 * 1024 * 1024)), "error: error parsing file-5mb.yaml: the file is 5242945 bytes; the lab reads manifests of up to 4194304 bytes\n"),
        m("one-line-3mb.json", format!("{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"x\"}},\"data\":{{\"k\":\"{}\"}}}}", "x".repeat(3 * 1024 * 1024)), "Error from server (RequestEntityTooLarge): error when creating \"one-line-3mb.json\": Request entity too large: limit is 3145728\n"),
        m("long-key.yaml", format!("{CM}x\ndata:\n  {}: v\n", "k".repeat(300)), invalid("ConfigMap", "x", &[&format!("data[{0}]: Invalid value: \"{0}\": must be no more than 253 characters", "k".repeat(300))])),
    ];
    // Many objects in one file: the lab takes a thousand and refuses the rest.
    let many: String = (0..1001)
        .map(|i| cm(&format!("many-{i}")))
        .collect::<Vec<_>>()
        .join("---\n");
    let mut expect: String = (0..1000).map(|i| format!("configmap/many-{i} created\n")).collect();
    expect.push_str("error: error parsing many.yaml: the lab reads at most 1000 objects from one manifest; split it into several files\n");
    v.push(m("many.yaml", many, expect));
    // A pod of a thousand containers is valid, as in Kubernetes (it is deleted right after).
    let containers: String = (0..1000)
        .map(|i| format!("  - {{name: c{i}, image: busybox, command: [sleep, \"3600\"]}}\n"))
        .collect();
    v.push(m(
        "thousand-containers.yaml",
        pod("thousand", &format!("  containers:\n{containers}")),
        "pod/thousand created\n",
    ));
    v
}

/// One command-line case: the line, its exit code and everything it prints.
type Command = (String, i32, String);

fn c(line: &str, code: i32, expect: &str) -> Command {
    (line.to_string(), code, expect.to_string())
}

/// Lines run in order in one shell, after [`setup`] put files and links in the folder.
fn commands() -> Vec<Command> {
    let outside = "outside the lesson folder ~/workspace";
    let loops = "loops and if/case blocks are not part of the lab's shell; run them in your own terminal";
    let nested = |open: &str, close: &str| format!("echo {}x{}", open.repeat(10_000), close.repeat(10_000));
    vec![
        // Paths out of the folder, by `..` and by links.
        c("cat ../../etc/passwd", 1, &format!("cat: ../../etc/passwd: {outside}\n")),
        c("cat /etc/passwd", 1, "cat: /etc/passwd: No such file or directory\n"),
        c("cat < ../x", 1, &format!("sh: ../x: {outside}\n")),
        c("echo x > ../x", 1, &format!("sh: ../x: {outside}\n")),
        c("echo x >> ../../x", 1, &format!("sh: ../../x: {outside}\n")),
        c("ls ..", 2, &format!("ls: cannot access '..': {outside}\n")),
        c("cd .. && pwd", 0, "~/workspace\n"),
        c("cd ../.. ; pwd", 0, "~/workspace\n"),
        c("cat link-out.yaml", 1, &format!("cat: link-out.yaml: {outside}\n")),
        c("cat dir-out/secret.txt", 1, &format!("cat: dir-out/secret.txt: {outside}\n")),
        c("echo x > dir-out/new.txt", 1, &format!("sh: dir-out/new.txt: {outside}\n")),
        c("ls dir-out", 2, &format!("ls: cannot access 'dir-out': {outside}\n")),
        c("cd dir-out", 1, &format!("sh: cd: dir-out: {outside}\n")),
        c("cat link-in.yaml", 0, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n"),
        c("kubectl apply -f ../../etc/passwd", 1, &format!("error: the path \"../../etc/passwd\" is {outside}\n")),
        c("kubectl apply -f /etc/passwd", 1, "error: the path \"/etc/passwd\" does not exist\n"),
        c("kubectl apply -f link-out.yaml", 1, &format!("error: the path \"link-out.yaml\" is {outside}\n")),
        c("kubectl apply -f dir-out", 1, &format!("error: the path \"dir-out\" is {outside}\n")),
        c("kubectl apply -f dir-out/", 1, &format!("error: the path \"dir-out/\" is {outside}\n")),
        c("kubectl apply -f mixed", 1, &format!("error: the path \"mixed/b.yaml\" is {outside}\n")),
        c("kubectl create -f ../x.yaml", 1, &format!("error: the path \"../x.yaml\" is {outside}\n")),
        c("kubectl delete -f link-out.yaml", 1, &format!("error: the path \"link-out.yaml\" is {outside}\n")),
        c("kubectl create configmap c1 --from-file=../../etc/passwd", 1, &format!("error: open ../../etc/passwd: {outside}\n")),
        c("kubectl create configmap c1 --from-file=link-out.yaml", 1, &format!("error: open link-out.yaml: {outside}\n")),
        c("kubectl create configmap c1 --from-file=key=dir-out/secret.txt", 1, &format!("error: open dir-out/secret.txt: {outside}\n")),
        // kubectl takes a folder's regular files only: the links in it are skipped.
        c("kubectl create configmap c1 --from-file=mixed", 0, "configmap/c1 created\n"),
        c("kubectl get configmap c1 -o jsonpath='{.data}'", 0, "{\"a.yaml\":\"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: mixed-a\\n\"}"),
        c("kubectl delete configmap c1", 0, "configmap \"c1\" deleted\n"),
        c("kubectl create secret generic s1 --from-file=../x", 1, &format!("error: open ../x: {outside}\n")),
        c("kubectl create secret tls t1 --cert=../tls.crt --key=tls.key", 1, &format!("error: open ../tls.crt: {outside}\n")),
        c("kubectl apply -f https://example.com/x.yaml", 1, "error: unable to read URL \"https://example.com/x.yaml\", server reported 404 Not Found, status code=404\n"),
        c("kubectl apply -f nope.yaml", 1, "error: the path \"nope.yaml\" does not exist\n"),
        // Loops the shell does not have.
        c("while true; do curl http://127.0.41.1:30080/; done", 2, &format!("sh: while: {loops}\n")),
        c("for i in $(seq 100000); do kubectl get pods; done", 2, &format!("sh: for: {loops}\n")),
        c("until false; do echo; done", 2, &format!("sh: until: {loops}\n")),
        c("if true; then echo yes; fi", 2, &format!("sh: if: {loops}\n")),
        c("case x in x) echo;; esac", 2, &format!("sh: case: {loops}\n")),
        c("echo a; do echo b", 2, &format!("sh: do: {loops}\n")),
        c("echo while for done", 0, "while for done\n"),
        c("seq 3", 127, "sh: seq: command not found\n"),
        c("yes | head -3", 0, "sh: yes: command not found\n"),
        // Nesting and broken syntax.
        c(&nested("$(", ")"), 2, "sh: expression nested too deeply\n"),
        c(&nested("${A:-", "}"), 2, "sh: expression nested too deeply\n"),
        c(&format!("{}echo x{}", "(".repeat(10_000), ")".repeat(10_000)), 2, "sh: expression nested too deeply\n"),
        c(&nested("\"$(echo ", ")\""), 2, "sh: expression nested too deeply\n"),
        c("echo 'unclosed", 2, "sh: unexpected EOF while looking for matching '''\nsh: syntax error: unexpected end of file\n"),
        c("echo \"unclosed", 2, "sh: unexpected EOF while looking for matching '\"'\nsh: syntax error: unexpected end of file\n"),
        c("echo $(echo", 2, "sh: unexpected EOF while looking for matching ')'\nsh: syntax error: unexpected end of file\n"),
        c("echo ${", 2, "sh: unexpected EOF while looking for matching '}'\nsh: syntax error: unexpected end of file\n"),
        c("| echo", 2, "sh: syntax error near unexpected token '|'\n"),
        c("echo a && && echo b", 2, "sh: syntax error near unexpected token '&&'\n"),
        c("echo a ;; echo b", 2, "sh: syntax error near unexpected token ';;'\n"),
        c("sleep 100 &", 2, "sh: background jobs ('&') are not supported in the lab shell\n"),
        c("echo ${A!}", 2, "sh: ${A!}: bad substitution\n"),
        c("echo $((1/0))", 1, "sh: 1/0: division by 0 (error token is \"0\")\n"),
        c("echo $((9223372036854775807 + 1))", 0, "-9223372036854775808\n"),
        c("echo $((2**64))", 0, "0\n"),
        c("echo $((((((((((1))))))))))", 0, "1\n"),
        c("cat <<EOF\nno end", 0, "sh: warning: here-document delimited by end-of-file (wanted 'EOF')\nno end\n"),
        c("A=${B:?not set}; echo after", 1, "sh: B: not set\n"),
        // Arguments kubectl refuses.
        c("kubectl get pods -n nope", 0, "No resources found in nope namespace.\n"),
        c("kubectl get svc nope", 1, "Error from server (NotFound): services \"nope\" not found\n"),
        c("kubectl get Pods,Nope", 1, "error: the server doesn't have a resource type \"Nope\"\n"),
        c("kubectl delete pod nope", 1, "Error from server (NotFound): pods \"nope\" not found\n"),
        c("kubectl logs nope", 1, "Error from server (NotFound): pods \"nope\" not found\n"),
        c("kubectl describe svc nope", 1, "Error from server (NotFound): services \"nope\" not found\n"),
        c("kubectl frobnicate", 1, "error: unknown command \"frobnicate\" for \"kubectl\"\n"),
        c("kubectl diff -f baseline.yaml", 1, "error: \"kubectl diff\" is a real kubectl command that the lab's kubectl does not have\n"),
        c("kubectl get pods --frobnicate", 1, "error: unknown flag: --frobnicate\nSee 'kubectl get --help' for usage.\n"),
        c("kubectl scale deployment web --replicas=-1", 1, "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"),
        c("kubectl scale deployment web --replicas=abc", 1, "error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl scale --help' for usage.\n"),
        c("kubectl scale deployment nope --replicas=1", 1, "Error from server (NotFound): deployments.apps \"nope\" not found\n"),
        // The pod and its container are both named Bad_Name: both are wrong.
        c("kubectl run Bad_Name --image=nginx", 1, &invalid("Pod", "Bad_Name", &[&format!("metadata.name: Invalid value: \"Bad_Name\": {SUBDOMAIN}"), &format!("spec.containers[0].name: Invalid value: \"Bad_Name\": {LABEL_1123}")])),
        // The name is also the `app` label, the selector and the template's label: four errors.
        c(&format!("kubectl create deployment {} --image=nginx", "d".repeat(254)), 1, &{
            let d = "d".repeat(254);
            invalid("Deployment", &d, &[&format!("metadata.name: Invalid value: \"{d}\": must be no more than 253 characters"), &format!("metadata.labels: Invalid value: \"{d}\": must be no more than 63 characters"), &format!("spec.selector.matchLabels: Invalid value: \"{d}\": must be no more than 63 characters"), &format!("spec.template.labels: Invalid value: \"{d}\": must be no more than 63 characters")])
        }),
        c(&format!("kubectl create service clusterip {} --tcp=80:80", "s".repeat(64)), 1, &{
            let n = "s".repeat(64);
            invalid("Service", &n, &[&format!("metadata.name: Invalid value: \"{n}\": must be no more than 63 characters"), &format!("metadata.labels: Invalid value: \"{n}\": must be no more than 63 characters"), &format!("spec.selector: Invalid value: \"{n}\": must be no more than 63 characters")])
        }),
        c("kubectl create service nodeport np1 --tcp=80:80 --node-port=99999", 1, &format!("The Service \"np1\" is invalid: spec.ports[0].nodePort: Invalid value: 99999: {NODE_PORT_RANGE}\n")),
        c("kubectl create service clusterip cip1 --tcp=70000:80", 1, &format!("The Service \"cip1\" is invalid: spec.ports[0].port: Invalid value: 70000: {PORT_RANGE}\n")),
        c("kubectl expose deployment web --name=exp1 --port=70000", 1, &format!("The Service \"exp1\" is invalid: \n* spec.ports[0].port: Invalid value: 70000: {PORT_RANGE}\n* spec.ports[0].targetPort: Invalid value: 70000: {PORT_RANGE}\n")),
        c("kubectl create configmap bad1 --from-literal='a b=1'", 1, &format!("error: failed to create configmap: ConfigMap \"bad1\" is invalid: data[a b]: Invalid value: \"a b\": {CONFIG_KEY}\n")),
        c("kubectl create configmap Bad --from-literal=a=1", 1, &format!("error: failed to create configmap: ConfigMap \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": {SUBDOMAIN}\n")),
        c("kubectl create secret generic Bad --from-literal=a=1", 1, &format!("error: failed to create secret Secret \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": {SUBDOMAIN}\n")),
        c("kubectl create configmap huge1 --from-file=huge.txt", 1, "error: failed to create configmap: Request entity too large: limit is 3145728\n"),
        c("kubectl create namespace Team", 1, &format!("The Namespace \"Team\" is invalid: metadata.name: Invalid value: \"Team\": {LABEL_1123}\n")),
        c("kubectl label deployment web 'bad key=1'", 1, &format!("The Deployment \"web\" is invalid: metadata.labels: Invalid value: \"bad key\": name part {QUALIFIED}\n")),
        c("kubectl label deployment web a=b=c", 1, "error: invalid label spec: a=b=c\n"),
        c(&format!("kubectl label deployment web app2={}", "v".repeat(64)), 1, &format!("error: invalid label value: \"app2={}\": must be no more than 63 characters\n", "v".repeat(64))),
        // Annotations add up: the second one passes the API server's 256 KiB.
        c("kubectl create configmap notes", 0, "configmap/notes created\n"),
        c(&format!("kubectl annotate configmap notes a={}", "x".repeat(200_000)), 0, "configmap/notes annotated\n"),
        c(&format!("kubectl annotate configmap notes b={}", "x".repeat(200_000)), 1, "The ConfigMap \"notes\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n"),
        c("kubectl delete configmap notes", 0, "configmap \"notes\" deleted\n"),
        c("kubectl logs deployment/web --tail=abc", 1, "error: invalid argument \"abc\" for \"--tail\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl logs --help' for usage.\n"),
        c("kubectl get deploy web -o jsonpath='{.spec.replicas'", 1, "error: error parsing jsonpath {.spec.replicas, unclosed action\n"),
        c("kubectl get deploy web -o frob", 1, "error: unable to match a printer suitable for the output format \"frob\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"),
        c("kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad\nEOF", 1, &format!("The ConfigMap \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": {SUBDOMAIN}\n")),
        c("kubectl apply -f - <<EOF\nkind: [\nEOF", 1, "error: error parsing STDIN: error converting YAML to JSON: yaml: line 2, column 1: did not find expected node content\n"),
        c("kubectl apply -f - < laughs.yaml", 1, "error: error parsing STDIN: error converting YAML to JSON: yaml: document contains excessive aliasing\n"),
        // The host curl only reaches the lab's own addresses.
        c("curl -s http://8.8.8.8/", 7, ""),
        c("curl http://8.8.8.8/", 7, "curl: (7) k8s-lab never connects outside this machine (8.8.8.8:80 is not a lab address)\n"),
        c("curl -s http://example.com/", 6, ""),
        c("curl http://example.com/", 6, "curl: (6) Could not resolve host: example.com\n"),
        c("curl http://127.0.41.1:1/", 7, "curl: (7) Failed to connect to 127.0.41.1 port 1 after 0 ms: Couldn't connect to server\n"),
        c("curl http://127.0.0.1:22/", 7, "curl: (7) Failed to connect to 127.0.0.1 port 22 after 0 ms: Couldn't connect to server\n"),
        c("curl --cacert ../ca.crt https://127.0.41.1:30443/", 77, "curl: (77) error setting certificate file: ../ca.crt\n"),
        // Output that would grow without bound.
        c("cat big.txt big.txt big.txt | wc -c", 0, "sh: output stopped at 16777216 bytes (the lab's limit for a pipe, $(…) or file)\n16777216\n"),
        c("B=$(cat big.txt big.txt big.txt); echo ${#B}", 0, "sh: output stopped at 16777216 bytes (the lab's limit for a pipe, $(…) or file)\n16777216\n"),
        c("cat huge.txt | wc -c", 0, "cat: huge.txt: File too large\n0\n"),
        c("A=$(cat big.txt); C=$A$A$A; echo no", 1, "sh: the expansion is over 16777216 bytes, more than the lab's shell holds\n"),
        c("timeout 1 kubectl get pods -w > watch.txt; wc -l < watch.txt", 0, "3\n"),
        c("history 99999999999999999999", 1, "sh: history: 99999999999999999999: numeric argument required\n"),
        c("timeout 1 sleep 99999999999999999999999; echo $?", 0, "124\n"),
        c("timeout 0.01 sleep 5; echo $?", 0, "124\n"),
        // bash keeps the low byte of a big status, silently.
        c("exit 999999999999", 255, ""),
        c("exit nope", 2, "sh: exit: nope: numeric argument required\n"),
    ]
}

/// Lines made here because they are too big to write out.
fn big_commands() -> Vec<Command> {
    let mib = 1024 * 1024;
    vec![
        (
            format!("echo {}", "x".repeat(5 * mib)),
            2,
            format!(
                "sh: the command is {} bytes long; the lab's shell takes commands of up to 4194304 bytes\n",
                5 * mib + 5
            ),
        ),
        (format!("echo {}", "y".repeat(mib)), 0, format!("{}\n", "y".repeat(mib))),
        (
            format!("kubectl get configmap {}", "n".repeat(300)),
            1,
            format!(
                "Error from server (NotFound): configmaps \"{}\" not found\n",
                "n".repeat(300)
            ),
        ),
        (format!("kubectl get pods {}", vec!["p"; 20_000].join(" ")), 1, {
            let mut s = String::new();
            for _ in 0..20_000 {
                s.push_str("Error from server (NotFound): pods \"p\" not found\n");
            }
            s
        }),
    ]
}

/// Files and links the command cases use: a folder outside the workspace with a secret, links
/// to it, a link that stays inside, a folder mixing both, a big file and a file over the limit.
#[cfg(unix)]
fn setup(home: &Path, ws: &Path) {
    use std::os::unix::fs::symlink;
    let away = home.join("away");
    std::fs::create_dir_all(&away).unwrap();
    std::fs::write(away.join("secret.txt"), "secret\n").unwrap();
    std::fs::write(away.join("secret.yaml"), cm("secret")).unwrap();
    symlink(away.join("secret.yaml"), ws.join("link-out.yaml")).unwrap();
    symlink(&away, ws.join("dir-out")).unwrap();
    std::fs::write(ws.join("inside.yaml"), cm("inside")).unwrap();
    symlink(ws.join("inside.yaml"), ws.join("link-in.yaml")).unwrap();
    std::fs::create_dir_all(ws.join("mixed")).unwrap();
    std::fs::write(ws.join("mixed/a.yaml"), cm("mixed-a")).unwrap();
    symlink(away.join("secret.yaml"), ws.join("mixed/b.yaml")).unwrap();
    std::fs::write(ws.join("tls.key"), "key").unwrap();
    std::fs::write(ws.join("big.txt"), vec![b'x'; 8 * 1024 * 1024]).unwrap();
    std::fs::write(ws.join("huge.txt"), vec![b'x'; 17 * 1024 * 1024]).unwrap();
    std::fs::write(ws.join("laughs.yaml"), laughs(9)).unwrap();
}

const BASELINE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";

/// The next command after a case: it must still work.
const ALIVE: (&str, &str) = ("kubectl get deployment web -o name", "deployment.apps/web\n");

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn lab(name: &str, block: u8) -> (Session, PathBuf) {
    let home = std::env::temp_dir().join(format!("k8s-lab-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let ws = home.join("workspace");
    std::fs::create_dir_all(&ws).unwrap();
    let mut s = support::lab::session_for(None, block, &ws).await;
    std::fs::write(ws.join("baseline.yaml"), BASELINE).unwrap();
    assert_eq!(run(&mut s, "kubectl apply -f baseline.yaml").await.0, 0);
    run(&mut s, "kubectl rollout status deployment/web").await;
    s.cluster.settle(Duration::from_secs(5)).await;
    (s, home)
}

#[test]
fn every_hostile_manifest_gets_its_message_and_leaves_the_cluster_as_it_was() {
    runtime().block_on(async {
        let (mut s, home) = lab("manifests", 41).await;
        let ws = home.join("workspace");
        let cases = manifests();
        assert!(cases.len() >= 100, "{} manifests", cases.len());
        let before = snapshot(&s.cluster);
        let mut failures = Vec::new();
        for case in &cases {
            let bytes = match &case.text {
                Some(t) => t.clone(),
                None => std::fs::read(fixtures().join(&case.file)).unwrap(),
            };
            std::fs::write(ws.join(&case.file), &bytes).unwrap();
            let (code, out) = run(&mut s, &format!("kubectl apply -f {}", case.file)).await;
            if printing() {
                println!("== {} ({code})\n{}", case.file, short(&out));
            }
            if out != case.expect || code != case.code {
                failures.push(format!(
                    "{}: exit {code} (wanted {}), printed\n{}\nwanted\n{}",
                    case.file,
                    case.code,
                    short(&out),
                    short(&case.expect)
                ));
            }
            if out.contains(" created") {
                let (code, out) = run(
                    &mut s,
                    &format!("kubectl delete -f {} --grace-period=0 --force", case.file),
                )
                .await;
                assert!(
                    out.contains("deleted"),
                    "{}: cleanup exit {code}: {}",
                    case.file,
                    short(&out)
                );
            }
            assert_eq!(
                run(&mut s, ALIVE.0).await,
                (0, ALIVE.1.to_string()),
                "after {}",
                case.file
            );
            s.cluster.settle(Duration::from_secs(5)).await;
            let now = snapshot(&s.cluster);
            if now != before {
                let changed: Vec<_> = now
                    .iter()
                    .filter(|(k, v)| before.get(*k) != Some(*v))
                    .map(|(k, _)| k.clone())
                    .chain(before.keys().filter(|k| !now.contains_key(*k)).cloned())
                    .collect();
                failures.push(format!("{} changed the cluster: {changed:?}", case.file));
            }
        }
        s.cluster.shutdown();
        let _ = std::fs::remove_dir_all(&home);
        assert!(
            failures.is_empty(),
            "{} of {} manifests:\n\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n\n")
        );
    });
}

#[cfg(unix)]
#[test]
fn every_hostile_command_line_gets_its_message_and_the_shell_goes_on() {
    runtime().block_on(async {
        let (mut s, home) = lab("commands", 42).await;
        setup(&home, &home.join("workspace"));
        let cases: Vec<Command> = commands().into_iter().chain(big_commands()).collect();
        assert!(cases.len() >= 100, "{} command lines", cases.len());
        let before = snapshot(&s.cluster);
        let mut failures = Vec::new();
        for (line, code, expect) in &cases {
            let (got_code, out) = run(&mut s, line).await;
            if printing() {
                println!("== {} ({got_code})\n{}", short(line), short(&out));
            }
            if out != *expect || got_code != *code {
                failures.push(format!(
                    "{}: exit {got_code} (wanted {code}), printed\n{}\nwanted\n{}",
                    short(line),
                    short(&out),
                    short(expect)
                ));
            }
            s.cwd = "/".into();
            assert_eq!(
                run(&mut s, ALIVE.0).await,
                (0, ALIVE.1.to_string()),
                "after {}",
                short(line)
            );
        }
        s.cluster.settle(Duration::from_secs(5)).await;
        let now = snapshot(&s.cluster);
        if now != before {
            failures.push(format!(
                "the command lines changed the cluster: {now:?}\nwas {before:?}"
            ));
        }
        // The secret outside the folder was neither read into the cluster nor overwritten.
        assert_eq!(
            std::fs::read_to_string(home.join("away/secret.txt")).unwrap(),
            "secret\n"
        );
        assert!(!home.join("away/new.txt").exists());
        assert!(!home.join("x").exists());
        s.cluster.shutdown();
        let _ = std::fs::remove_dir_all(&home);
        assert!(
            failures.is_empty(),
            "{} of {} command lines:\n\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n\n")
        );
    });
}

#[test]
fn the_fixture_folder_has_a_case_for_every_file() {
    let mut files: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut named: Vec<String> = manifests()
        .into_iter()
        .filter(|c| c.text.is_none())
        .map(|c| c.file)
        .collect();
    named.sort();
    assert_eq!(files, named);
}

/// Lesson files an instructor (or a download) might bring: every path they name must stay in
/// the lesson's folder, symbolic links included, and the sizes are bounded. (what the lesson
/// says besides `steps`, what to put next to it, and the message `lint` gives; `DIR` is the
/// lesson's folder.)
type LessonCase = (&'static str, String, fn(&Path), &'static str);

const LESSON_HEAD: &str = "format_version: 1\nid: l\nslug: l\ntitle: {en: L}\n";
const LESSON_STEPS: &str = "steps:\n- id: a\n  title: {en: A}\n";

#[cfg(unix)]
fn lesson_cases() -> Vec<LessonCase> {
    use std::os::unix::fs::symlink;
    let none: fn(&Path) = |_| {};
    let files_dir: fn(&Path) = |d| {
        std::fs::create_dir_all(d.join("files")).unwrap();
        std::fs::write(d.join("files/a.yaml"), "a: 1\n").unwrap();
    };
    vec![
        (
            "files-dotdot",
            "files: ../outside\n".into(),
            none,
            "DIR/l.yaml:5:8: path \"../outside\" leaves the lesson folder ('..' is not allowed)",
        ),
        (
            "files-inner-dotdot",
            "files: files/../../x\n".into(),
            none,
            "DIR/l.yaml:5:8: path \"files/../../x\" leaves the lesson folder ('..' is not allowed)",
        ),
        (
            "files-absolute",
            "files: /etc\n".into(),
            none,
            "DIR/l.yaml:5:8: path \"/etc\" must be relative to the lesson folder",
        ),
        (
            "files-windows",
            "files: 'C:\\x'\n".into(),
            none,
            "DIR/l.yaml:5:8: path \"C:\\\\x\" must be relative to the lesson folder",
        ),
        (
            "url-dotdot",
            "urls:\n  https://k8s.io/x.yaml: ../../etc/passwd\n".into(),
            none,
            "DIR/l.yaml:6:3: urls: path \"../../etc/passwd\" leaves the lesson folder ('..' is not allowed)",
        ),
        (
            "files-link-out",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files")).unwrap();
                symlink(d.parent().unwrap().join("outside.txt"), d.join("files/leak.txt")).unwrap();
            },
            "leads outside the lesson folder",
        ),
        (
            "files-folder-link-out",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files")).unwrap();
                symlink(d.parent().unwrap(), d.join("files/up")).unwrap();
            },
            "leads outside the lesson folder",
        ),
        (
            "files-is-a-link-out",
            "files: files\n".into(),
            |d| symlink(d.parent().unwrap(), d.join("files")).unwrap(),
            "leads outside the lesson folder",
        ),
        (
            "url-link-out",
            "urls:\n  https://k8s.io/x.yaml: x.yaml\n".into(),
            |d| symlink(d.parent().unwrap().join("outside.txt"), d.join("x.yaml")).unwrap(),
            "DIR/l.yaml:6:26: urls: cannot read \"x.yaml\": leads outside the lesson folder",
        ),
        (
            "files-loop",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files/sub")).unwrap();
                std::fs::write(d.join("files/a.yaml"), "a: 1\n").unwrap();
                symlink(d.join("files"), d.join("files/sub/again")).unwrap();
            },
            "",
        ),
        (
            "files-link-inside",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files")).unwrap();
                std::fs::write(d.join("real.yaml"), "a: 1\n").unwrap();
                symlink(d.join("real.yaml"), d.join("files/alias.yaml")).unwrap();
            },
            "",
        ),
        (
            "files-many",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files")).unwrap();
                for i in 0..=1000 {
                    std::fs::write(d.join(format!("files/f{i}.txt")), "x").unwrap();
                }
            },
            "more than 1000 files",
        ),
        (
            "files-big",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files")).unwrap();
                std::fs::write(d.join("files/big.yaml"), vec![b'x'; 4 * 1024 * 1024 + 1]).unwrap();
            },
            "big.yaml: the file is bigger than 4194304 bytes",
        ),
        (
            "files-total",
            "files: files\n".into(),
            |d| {
                std::fs::create_dir_all(d.join("files")).unwrap();
                for i in 0..5 {
                    std::fs::write(d.join(format!("files/f{i}.yaml")), vec![b'x'; 4 * 1024 * 1024]).unwrap();
                }
            },
            "the files add up to more than 16777216 bytes",
        ),
        (
            "url-missing",
            "urls:\n  https://k8s.io/x.yaml: nope.yaml\n".into(),
            files_dir,
            "DIR/l.yaml:6:26: urls: cannot read \"nope.yaml\": No such file or directory (os error 2)",
        ),
        (
            "url-not-http",
            "urls:\n  file:///etc/passwd: a.yaml\n".into(),
            files_dir,
            "DIR/l.yaml:6:3: urls: \"file:///etc/passwd\" is not an http:// or https:// URL",
        ),
        (
            "alias-bomb",
            {
                let mut s = String::from("x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n");
                for i in 1..9 {
                    s.push_str(&format!(
                        "x{i}: &x{i} [{}]\n",
                        vec![format!("*x{}", i - 1); 10].join(", ")
                    ));
                }
                s
            },
            none,
            "DIR/l.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing",
        ),
        (
            "huge-lesson",
            format!("# {}\n", "x".repeat(1024 * 1024)),
            none,
            "DIR/l.yaml: the file is bigger than 1048576 bytes",
        ),
    ]
}

#[cfg(unix)]
#[test]
fn lesson_files_stay_in_their_folder_and_in_bounds() {
    let base = std::env::temp_dir().join(format!("k8s-lab-hostile-lessons-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let mut failures = Vec::new();
    for (name, extra, setup, expect) in lesson_cases() {
        let dir = base.join(name).join("lesson");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(base.join(name).join("outside.txt"), "secret\n").unwrap();
        setup(&dir);
        std::fs::write(dir.join("l.yaml"), format!("{LESSON_HEAD}{extra}{LESSON_STEPS}")).unwrap();
        let got = match k8s_lab::lessons::load_path(&dir.join("l.yaml")) {
            Ok(l) => {
                assert!(
                    l.files().values().all(|b| b != b"secret\n"),
                    "{name}: a file from outside"
                );
                String::new()
            }
            Err(e) => e.to_string().replace(&dir.display().to_string(), "DIR"),
        };
        if printing() {
            println!("== {name}\n{got}");
        }
        let ok = if expect.starts_with("DIR") || expect.is_empty() {
            got == expect
        } else {
            got.contains(expect)
        };
        if !ok {
            failures.push(format!("{name}: printed\n{got}\nwanted\n{expect}"));
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
