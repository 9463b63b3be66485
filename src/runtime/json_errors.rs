//! What the API server's JSON decoder says about a value of the wrong type.
//!
//! A learner who writes `replicas: "3"` or `containerPort: http` gets, from a real cluster,
//! `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
//! serde reports the same mistake as `invalid type: string "3", expected i32` at a path; this
//! module words it the Go way: the innermost Go struct holding the field, the field's path from
//! the object's root without list indices, and the Go type.

/// Go struct names of the objects' nested fields, by kind and path (list indices dropped).
const STRUCTS: &[(&str, &str, &str)] = &[
    ("*", "metadata", "ObjectMeta"),
    ("Deployment", "spec", "DeploymentSpec"),
    ("Deployment", "spec.selector", "LabelSelector"),
    ("Deployment", "spec.strategy", "DeploymentStrategy"),
    ("Deployment", "spec.strategy.rollingUpdate", "RollingUpdateDeployment"),
    ("Deployment", "spec.template", "PodTemplateSpec"),
    ("ReplicaSet", "spec", "ReplicaSetSpec"),
    ("ReplicaSet", "spec.selector", "LabelSelector"),
    ("ReplicaSet", "spec.template", "PodTemplateSpec"),
    ("Service", "spec", "ServiceSpec"),
    ("Service", "spec.ports", "ServicePort"),
    ("Pod", "spec", "PodSpec"),
];

/// Go struct names inside a pod spec, relative to it.
const POD_SPEC: &[(&str, &str)] = &[
    ("containers", "Container"),
    ("initContainers", "Container"),
    ("containers.ports", "ContainerPort"),
    ("containers.env", "EnvVar"),
    ("containers.env.valueFrom", "EnvVarSource"),
    ("containers.resources", "ResourceRequirements"),
    ("containers.volumeMounts", "VolumeMount"),
    ("containers.readinessProbe", "Probe"),
    ("containers.livenessProbe", "Probe"),
    ("containers.startupProbe", "Probe"),
    ("containers.readinessProbe.httpGet", "HTTPGetAction"),
    ("containers.livenessProbe.httpGet", "HTTPGetAction"),
    ("containers.readinessProbe.tcpSocket", "TCPSocketAction"),
    ("containers.livenessProbe.tcpSocket", "TCPSocketAction"),
    ("volumes", "Volume"),
    ("volumes.secret", "SecretVolumeSource"),
    ("volumes.configMap", "ConfigMapVolumeSource"),
];

/// Fields that are `map[string]string` in the API.
const MAP_FIELDS: &[&str] = &[
    "data",
    "stringData",
    "labels",
    "annotations",
    "matchLabels",
    "selector",
    "nodeSelector",
];

/// Where a pod spec sits in each kind.
fn pod_spec_root(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("spec"),
        "Deployment" | "ReplicaSet" => Some("spec.template.spec"),
        _ => None,
    }
}

/// The Go struct that declares the field at `path` (dotted, no indices).
fn struct_of(kind: &str, path: &str) -> String {
    let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
    let mut prefix = parent;
    loop {
        if prefix.is_empty() {
            return kind.to_string();
        }
        if let Some((_, _, name)) = STRUCTS
            .iter()
            .find(|(k, p, _)| (*k == kind || *k == "*" && !p.contains('.')) && *p == prefix)
        {
            return name.to_string();
        }
        if prefix.ends_with(".metadata") {
            return "ObjectMeta".into();
        }
        if let Some(root) = pod_spec_root(kind) {
            if prefix == root {
                return "PodSpec".into();
            }
            if let Some(rel) = prefix.strip_prefix(root).and_then(|r| r.strip_prefix('.')) {
                if let Some((_, name)) = POD_SPEC.iter().find(|(p, _)| *p == rel) {
                    return name.to_string();
                }
            }
        }
        prefix = prefix.rsplit_once('.').map_or("", |(p, _)| p);
    }
}

/// `spec.template.spec.containers[0].ports[0].containerPort` → without the indices.
fn go_path(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

/// The Go name of what the JSON had: `string`, `number 3.5`, `bool`, `object`, `array`.
fn go_value(serde_got: &str) -> String {
    let kind = serde_got.split_whitespace().next().unwrap_or("");
    match kind {
        "string" => "string".into(),
        "integer" => "number".into(),
        // An integer too big for its field: Go names it with its digits.
        "overflowing" => format!("number {}", serde_got.split('`').nth(1).unwrap_or("")),
        "floating" => {
            let n = serde_got.split('`').nth(1).unwrap_or("");
            format!("number {n}")
        }
        "boolean" => "bool".into(),
        "map" => "object".into(),
        "sequence" => "array".into(),
        other => other.to_string(),
    }
}

/// The Go type of what the field wants.
fn go_type(serde_expected: &str, field: &str) -> String {
    match serde_expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u16" | "u32" | "u64" => format!("uint{}", &serde_expected[1..]),
        "f64" => "float64".into(),
        "a string" => "string".into(),
        "a boolean" => "bool".into(),
        "a map" => "map[string]string".into(),
        "a sequence" => match field {
            "command" | "args" | "finalizers" => "[]string".into(),
            f => format!("[]v1.{}", capitalise_singular(f)),
        },
        "a 32-bit integer or a string" | "IntOrString" => "intstr.IntOrString".into(),
        s if s.starts_with("struct ") => format!("v1.{}", &s[7..]),
        s if s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => format!("v1.{s}"),
        s => s.to_string(),
    }
}

/// `containers` → `Container`, `ports` → `Port` (a fallback for list element types).
fn capitalise_singular(field: &str) -> String {
    let single = field.strip_suffix('s').unwrap_or(field);
    let mut c = single.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The decoder's message for a wrong-typed value, or serde's own words when it is not a type
/// mismatch (`missing field`, a bad enum value).
pub fn unmarshal_message(kind: &str, path: &str, serde_message: &str) -> String {
    let msg = serde_message.split(" at line ").next().unwrap_or(serde_message);
    // A Secret's `data` that is not base64: Go's decoder says where the first bad byte is.
    if let Some(rest) = msg.strip_prefix("Invalid symbol ") {
        if let Some(offset) = rest.split("offset ").nth(1) {
            return format!("illegal base64 data at input byte {}", offset.trim_end_matches('.'));
        }
    }
    // A number too big for its field is a value Go cannot unmarshal into it, like a wrong type.
    let number = msg
        .strip_prefix("invalid value: integer `")
        .and_then(|r| r.split_once("`, expected "))
        .map(|(n, e)| (format!("overflowing `{n}`"), e));
    let (got, expected) = match (msg.strip_prefix("invalid type: "), &number) {
        (Some(rest), _) => match rest.split_once(", expected ") {
            Some((g, e)) => (g.to_string(), e),
            None => return msg.to_string(),
        },
        (None, Some((g, e))) => (g.clone(), *e),
        (None, None) => return msg.to_string(),
    };
    let got = got.as_str();
    let mut path = go_path(path);
    // A map's values are reported at the map field (`ConfigMap.data`), not at the key.
    if let Some((parent, _)) = path.rsplit_once('.') {
        if MAP_FIELDS.contains(&parent.rsplit('.').next().unwrap_or(parent)) {
            path = parent.to_string();
        }
    }
    let field = path.rsplit('.').next().unwrap_or(&path);
    if path.is_empty() || path == "." {
        return format!(
            "json: cannot unmarshal {} into Go value of type v1.{kind}",
            go_value(got)
        );
    }
    format!(
        "json: cannot unmarshal {} into Go struct field {}.{path} of type {}",
        go_value(got),
        struct_of(kind, &path),
        go_type(expected, field)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worded_like_the_api_servers_decoder() {
        assert_eq!(
            unmarshal_message(
                "Deployment",
                "spec.replicas",
                "invalid type: string \"three\", expected i32"
            ),
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
        );
        assert_eq!(
            unmarshal_message(
                "Deployment",
                "spec.template.spec.containers[0].ports[0].containerPort",
                "invalid type: string \"http\", expected i32"
            ),
            "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"
        );
        assert_eq!(
            unmarshal_message(
                "Service",
                "spec.ports[0].port",
                "invalid type: floating point `80.5`, expected i32"
            ),
            "json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.port of type int32"
        );
        assert_eq!(
            unmarshal_message("Pod", "spec.containers", "invalid type: map, expected a sequence"),
            "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"
        );
        assert_eq!(
            unmarshal_message("ConfigMap", "metadata.labels", "invalid type: sequence, expected a map"),
            "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"
        );
        assert_eq!(
            unmarshal_message("ConfigMap", "data.k", "invalid type: integer `1`, expected a string"),
            "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"
        );
    }

    #[test]
    fn numbers_too_big_and_bad_base64_in_gos_words() {
        assert_eq!(
            unmarshal_message(
                "Deployment",
                "spec.replicas",
                "invalid value: integer `99999999999`, expected i32 at line 1 column 2"
            ),
            "json: cannot unmarshal number 99999999999 into Go struct field DeploymentSpec.spec.replicas of type int32"
        );
        assert_eq!(
            unmarshal_message("ConfigMap", "data.a", "invalid type: integer `1`, expected a string"),
            "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"
        );
        assert_eq!(
            unmarshal_message("Secret", "data.k", "Invalid symbol 32, offset 3."),
            "illegal base64 data at input byte 3"
        );
    }
}
