//! `kubectl apply -f` and `kubectl create -f`: read manifests from files, folders, stdin (`-`)
//! or the lesson's bundled URLs, write every document, and report each one the way kubectl does
//! (`deployment.apps/backend created`), errors collected and printed after the successes.

use super::args::Parsed;
use super::errors::write_error;
use super::Ctx;
use crate::io::Output;
use crate::runtime::manifest::{decode_manifests, ManifestError, MAX_MANIFEST_BYTES};
use crate::runtime::{ApplyOutcome, Object};
use crate::workspace::Workspace;

/// One manifest text and the name kubectl reports it by (`STDIN`, the path, the URL).
pub struct Source {
    pub name: String,
    pub text: String,
}

/// A manifest file's text; bytes that are not UTF-8 are a YAML error at their line and column.
/// A byte-order mark is read as kubectl's file reader reads it (`unicode.BOMOverride`): a UTF-8
/// one is dropped, a UTF-16 one (Windows Notepad's "Unicode") decodes the file from UTF-16.
fn utf8_text(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    let utf16 = |le: bool, body: &[u8]| -> Option<String> {
        let units = body
            .chunks(2)
            .map(|c| match c {
                [a, b] if le => Some(u16::from_le_bytes([*a, *b])),
                [a, b] => Some(u16::from_be_bytes([*a, *b])),
                _ => None,
            })
            .collect::<Option<Vec<u16>>>()?;
        char::decode_utf16(units).collect::<Result<String, _>>().ok()
    };
    let bytes = match bytes.as_slice() {
        [0xef, 0xbb, 0xbf, rest @ ..] => rest.to_vec(),
        [0xff, 0xfe, rest @ ..] => match utf16(true, rest) {
            Some(t) => return Ok(t),
            None => bytes,
        },
        [0xfe, 0xff, rest @ ..] => match utf16(false, rest) {
            Some(t) => return Ok(t),
            None => bytes,
        },
        _ => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(good);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("error parsing {name}: error converting YAML to JSON: yaml: line {line}, column {column}: invalid leading UTF-8 octet")
    })
}

/// Most bytes all the manifests of one command may add up to (a folder of files, several
/// `-f`): four files at the limit of one.
pub const MAX_TOTAL_MANIFEST_BYTES: usize = 4 * MAX_MANIFEST_BYTES;

/// `name`'s text, refused when it is over [`MAX_MANIFEST_BYTES`] (nothing past the limit is
/// read).
fn bounded_read(name: &str, path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|_| format!("the path \"{name}\" does not exist"))?;
    let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    let mut bytes = Vec::new();
    file.take(MAX_MANIFEST_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("error reading {name}: {}", crate::io::io_message(&e)))?;
    if bytes.len() > MAX_MANIFEST_BYTES {
        return Err(too_big(name, size.max(bytes.len())));
    }
    Ok(bytes)
}

fn too_big(name: &str, size: usize) -> String {
    let e = ManifestError::TooBig {
        size,
        limit: MAX_MANIFEST_BYTES,
    };
    format!("error parsing {name}: {e}")
}

/// Read every `-f` argument. Errors are kubectl's messages without `error: `.
pub fn read_sources(ctx: &Ctx<'_>, filenames: &[String]) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut push = |out: &mut Vec<Source>, source: Source| -> Result<(), String> {
        total += source.text.len();
        if total > MAX_TOTAL_MANIFEST_BYTES {
            return Err(format!(
                "the manifests add up to more than {MAX_TOTAL_MANIFEST_BYTES} bytes, more than the lab reads in one command"
            ));
        }
        out.push(source);
        Ok(())
    };
    for f in filenames {
        if f == "-" {
            let text = ctx.stdin.unwrap_or("");
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if text.len() > MAX_MANIFEST_BYTES {
                return Err(too_big("STDIN", text.len()));
            }
            push(
                &mut out,
                Source {
                    name: "STDIN".into(),
                    text: text.to_string(),
                },
            )?;
        } else if Workspace::is_url(f) {
            let text = ctx
                .workspace
                .fetch_url(f)
                .ok_or_else(|| format!("unable to read URL \"{f}\", server reported 404 Not Found, status code=404"))?;
            if text.len() > MAX_MANIFEST_BYTES {
                return Err(too_big(f, text.len()));
            }
            push(
                &mut out,
                Source {
                    name: f.clone(),
                    text: text.to_string(),
                },
            )?;
        } else {
            let path = ctx
                .workspace
                .resolve(f)
                .ok_or_else(|| format!("the path \"{f}\" is {}", ctx.workspace.outside()))?;
            if path.is_dir() {
                let mut entries: Vec<_> = std::fs::read_dir(&path)
                    .map_err(|e| e.to_string())?
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
                    .collect();
                entries.sort();
                for e in entries {
                    let file_name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    let name = format!("{}/{file_name}", f.trim_end_matches('/'));
                    let real = ctx
                        .workspace
                        .resolve(&format!("{}/{file_name}", f.trim_end_matches('/')))
                        .ok_or_else(|| format!("the path \"{name}\" is {}", ctx.workspace.outside()))?;
                    let bytes = bounded_read(&name, &real)?;
                    let text = utf8_text(&name, bytes)?;
                    push(&mut out, Source { name, text })?;
                }
            } else {
                let bytes = bounded_read(f, &path)?;
                let text = utf8_text(f, bytes)?;
                push(&mut out, Source { name: f.clone(), text })?;
            }
        }
    }
    Ok(out)
}

/// A manifest error in kubectl's words (the whole line, prefix included).
pub fn manifest_error(e: &ManifestError, source: &str, verb: &str) -> String {
    match e {
        ManifestError::Syntax { .. }
        | ManifestError::Convert(_)
        | ManifestError::TooManyObjects { .. }
        | ManifestError::TooBig { .. } => format!("error: error parsing {source}: {e}"),
        ManifestError::MissingTypeMeta(_) | ManifestError::NotAnObject => {
            format!("error: error validating \"{source}\": {e}")
        }
        ManifestError::UnknownKind { .. } | ManifestError::UnknownListItemKind { .. } => format!("error: {e}"),
        ManifestError::UnknownFields { .. } | ManifestError::BadValue { .. } => {
            format!("Error from server (BadRequest): error when {verb} \"{source}\": {e}")
        }
    }
}

/// Decode all sources into objects (with their source name), or the error lines.
pub fn decode_all(sources: &[Source], verb: &str) -> (Vec<(Object, String)>, Vec<String>) {
    let (docs, mut errs) = decode_in_order(sources, verb);
    let mut objs = Vec::new();
    for d in docs {
        match d {
            Ok(o) => objs.push(o),
            Err(e) => errs.push(e),
        }
    }
    (objs, errs)
}

/// One decoded document with its source name, or the error writing it would give.
pub type Document = Result<(Object, String), String>;

/// Decode all sources, keeping the documents in order. kubectl's resource builder reports
/// what it cannot parse (syntax, a missing or unknown kind) before anything is written — the
/// second list; unknown fields and wrong types are found by the API server when that document
/// is written, so they stay in place among the documents.
pub fn decode_in_order(sources: &[Source], verb: &str) -> (Vec<Document>, Vec<String>) {
    let mut docs = Vec::new();
    let mut builder_errs = Vec::new();
    for s in sources {
        for r in decode_manifests(&s.text, &s.name) {
            match r {
                Ok(o) => docs.push(Ok((o, s.name.clone()))),
                Err(e @ (ManifestError::UnknownFields { .. } | ManifestError::BadValue { .. })) => {
                    docs.push(Err(manifest_error(&e, &s.name, verb)))
                }
                Err(e) => builder_errs.push(manifest_error(&e, &s.name, verb)),
            }
        }
    }
    (docs, builder_errs)
}

/// Put the `-n` namespace on objects that have none; refuse a conflicting one like kubectl.
pub fn set_namespace(obj: &mut Object, p: &Parsed) -> Result<(), String> {
    if !obj.kind().namespaced() {
        return Ok(());
    }
    let ns = p.namespace();
    match obj.meta().namespace.clone().filter(|n| !n.is_empty()) {
        None => {
            obj.meta_mut().namespace = Some(ns);
            Ok(())
        }
        Some(own) if p.has("namespace") && own != ns => Err(format!(
            "the namespace from the provided object \"{own}\" does not match the namespace \"{ns}\". You must pass '--namespace={own}' to perform this operation."
        )),
        Some(_) => Ok(()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Apply,
    Create,
}

/// One document of the input on its way to the API, in input order.
enum Step {
    /// An object to write, and where it came from.
    Write(Box<Object>, String),
    /// Refused by kubectl's resource builder (syntax, kind, namespace): the message without
    /// `error: `.
    Builder(String),
    /// Refused by the API server when written (unknown fields, wrong types): the whole line.
    Server(String),
}

/// A write that failed, kept as the API error so it can be worded alone or in a list.
enum Failed {
    Api(crate::runtime::ApiError, String),
    Line(String),
}

/// What kubectl's `CheckErr` prints for apply's errors: the builder's errors (one aggregate,
/// first) and then each failed write. One error alone reads `error: …`, `Error from server …`
/// or `The Kind "name" is invalid: …`; several are one line each, where the builder's are
/// one line together (`[a, b]`) and an invalid object reads as the API server's Status.
fn render_errors(builder: &[String], writes: &[Failed]) -> Vec<String> {
    let failed_line = |f: &Failed, alone: bool| match f {
        Failed::Api(e, source) if alone => write_error(e, "creating", source),
        Failed::Api(e, source) => format!(
            "Error from server ({}): error when creating \"{source}\": {}",
            e.reason(),
            super::errors::status_message(e)
        ),
        Failed::Line(l) => l.clone(),
    };
    let mut lines = Vec::new();
    match (builder.len(), writes.len()) {
        (0, 0) => {}
        (1, 0) => lines.push(format!("error: {}", builder[0])),
        (_, 0) => lines.extend(builder.iter().cloned()),
        (0, 1) => lines.push(failed_line(&writes[0], true)),
        (b, _) => {
            if b == 1 {
                lines.push(builder[0].clone());
            } else if b > 1 {
                let mut seen: Vec<&String> = Vec::new();
                for m in builder {
                    if !seen.contains(&m) {
                        seen.push(m);
                    }
                }
                let joined: Vec<&str> = seen.iter().map(|s| s.as_str()).collect();
                lines.push(format!("[{}]", joined.join(", ")));
            }
            lines.extend(writes.iter().map(|w| failed_line(w, false)));
        }
    }
    lines
}

async fn write_files(ctx: &Ctx<'_>, p: &Parsed, out: &Output, mode: Mode) -> i32 {
    let files = p.all("filename");
    if files.is_empty() {
        return super::fail(out, "must specify one of -f and -k");
    }
    let sources = match read_sources(ctx, &files) {
        Ok(s) => s,
        Err(e) => return super::fail(out, &e),
    };
    // The builder's pass: every document is read (and its namespace settled) before anything
    // is written.
    let mut steps = Vec::new();
    for s in &sources {
        for r in decode_manifests(&s.text, &s.name) {
            steps.push(match r {
                Ok(mut obj) => match set_namespace(&mut obj, p) {
                    Ok(()) => Step::Write(Box::new(obj), s.name.clone()),
                    Err(e) => Step::Builder(e),
                },
                Err(e @ (ManifestError::UnknownFields { .. } | ManifestError::BadValue { .. })) => {
                    Step::Server(manifest_error(&e, &s.name, "creating"))
                }
                Err(e) => Step::Builder(
                    manifest_error(&e, &s.name, "creating")
                        .trim_start_matches("error: ")
                        .to_string(),
                ),
            });
        }
    }
    if steps.is_empty() {
        return super::fail(out, "no objects passed to apply");
    }
    let builder: Vec<String> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Builder(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    let mut writes = Vec::new();
    for step in steps {
        let (obj, source) = match step {
            Step::Write(obj, source) => (*obj, source),
            Step::Server(line) => {
                writes.push(Failed::Line(line));
                continue;
            }
            Step::Builder(_) => continue,
        };
        let type_name = super::printers::type_name(&obj);
        let written = match mode {
            Mode::Apply => ctx.cluster.apply(obj).map(|(_, outcome)| outcome_word(outcome)),
            Mode::Create => ctx.cluster.create(obj).map(|_| "created"),
        };
        match written {
            Ok(word) => out.line(&format!("{type_name} {word}")),
            Err(e) => writes.push(Failed::Api(e, source)),
        }
    }
    let lines = render_errors(&builder, &writes);
    for l in &lines {
        out.err_line(l);
    }
    i32::from(!lines.is_empty())
}

fn outcome_word(o: ApplyOutcome) -> &'static str {
    o.verb()
}

/// `kubectl apply -f …`.
pub async fn apply(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    write_files(ctx, p, out, Mode::Apply).await
}

/// `kubectl create -f …` (the generators are in [`super::create`]).
pub async fn create_from_files(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    write_files(ctx, p, out, Mode::Create).await
}

#[cfg(test)]
mod tests {
    use crate::kubectl::tests::testutil::{cluster, kubectl_in};
    use crate::workspace::Workspace;

    const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: dup-nodeport\nspec:\n  type: NodePort\n  selector:\n    app: my-app\n  ports:\n  - port: 80\n    targetPort: 8080\n    nodePort: 30008\n";

    #[tokio::test(start_paused = true)]
    async fn apply_from_stdin_created_unchanged_configured_and_invalid() {
        let c = cluster().await;
        let ws = Workspace::new(std::env::temp_dir());
        assert_eq!(
            kubectl_in(&c, &ws, Some(SVC), "apply -f -").await,
            (0, "service/dup-nodeport created\n".into())
        );
        assert_eq!(
            kubectl_in(&c, &ws, Some(SVC), "apply -f -").await,
            (0, "service/dup-nodeport unchanged\n".into())
        );
        let changed = SVC.replace("targetPort: 8080", "targetPort: 9090");
        assert_eq!(
            kubectl_in(&c, &ws, Some(&changed), "apply -f -").await,
            (0, "service/dup-nodeport configured\n".into())
        );
        let other = SVC.replace("name: dup-nodeport", "name: other");
        assert_eq!(
            kubectl_in(&c, &ws, Some(&other), "apply -f -").await,
            (1, "The Service \"other\" is invalid: spec.ports[0].nodePort: Invalid value: 30008: provided port is already allocated\n".into())
        );
    }

    #[tokio::test(start_paused = true)]
    async fn files_urls_and_their_errors() {
        let c = cluster().await;
        let dir = std::env::temp_dir().join(format!("k8s-lab-apply-{}", std::process::id()));
        let mut ws = Workspace::new(&dir);
        ws.write("svc.yaml", SVC.replace("    nodePort: 30008\n", "").as_bytes())
            .unwrap();
        ws.add_url(
            "https://k8s.io/examples/x.yaml",
            SVC.replace("dup-nodeport", "from-url")
                .replace("nodePort: 30008", "nodePort: 30009"),
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "create -f ./svc.yaml").await,
            (0, "service/dup-nodeport created\n".into())
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "create -f ./svc.yaml").await,
            (1, "Error from server (AlreadyExists): error when creating \"./svc.yaml\": services \"dup-nodeport\" already exists\n".into())
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "replace -f ./svc.yaml").await,
            (0, "service/dup-nodeport replaced\n".into())
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "apply -f https://k8s.io/examples/x.yaml")
                .await
                .1,
            "service/from-url created\n"
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "apply -f nope.yaml").await,
            (1, "error: the path \"nope.yaml\" does not exist\n".into())
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "apply").await,
            (1, "error: must specify one of -f and -k\n".into())
        );
        let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selectr:\n    app: x\n";
        assert_eq!(
            kubectl_in(&c, &ws, Some(bad), "apply -f -").await.1,
            "Error from server (BadRequest): error when creating \"STDIN\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.selectr\"\n"
        );
        let nokind = "apiVersion: v1\nmetadata:\n  name: a\n";
        assert_eq!(
            kubectl_in(&c, &ws, Some(nokind), "apply -f -").await.1,
            "error: error validating \"STDIN\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n"
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test(start_paused = true)]
    async fn a_multi_document_file_applies_every_good_document_and_reports_each_bad_one_in_order() {
        let c = cluster().await;
        let ws = Workspace::new(std::env::temp_dir());
        let docs = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata: {a: b}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\nspec:\n  prots:\n  - port: 80\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: dup\nspec:\n  ports:\n  - {name: web, port: 80}\n  - {name: web, port: 81}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n",
            "apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: g\n",
        ];
        let (code, out) = kubectl_in(&c, &ws, Some(&docs.join("---\n")), "apply -f -").await;
        assert_eq!(code, 1);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "configmap/good created");
        assert_eq!(lines[1], "configmap/last created");
        // What kubectl cannot even parse comes first, then each write's error in document order;
        // several errors are one line each, without `error: `, and an invalid object reads as
        // the API server's Status.
        assert!(
            lines[2].starts_with("resource mapping not found for name: \"g\""),
            "{out}"
        );
        assert_eq!(lines[3], "ensure CRDs are installed first");
        assert!(
            lines[4].starts_with("Error from server (Invalid): error when creating \"STDIN\": ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"),
            "{out}"
        );
        assert_eq!(
            lines[5],
            "Error from server (BadRequest): error when creating \"STDIN\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.prots\""
        );
        assert_eq!(
            lines[6],
            "Error from server (Invalid): error when creating \"STDIN\": Service \"dup\" is invalid: spec.ports[1].name: Duplicate value: \"web\""
        );
        // Nothing bad was written, nothing good was lost.
        assert!(c.get(crate::runtime::Kind::Service, "default", "typo").is_none());
        assert!(c.get(crate::runtime::Kind::ConfigMap, "default", "last").is_some());

        // A syntax error stops the stream there: documents before it are applied, after it not.
        let broken = format!(
            "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: 1\n---\n{}",
            docs[0].replace("good", "before"),
            docs[0].replace("good", "after")
        );
        let (code, out) = kubectl_in(&c, &ws, Some(&broken), "apply -f -").await;
        assert_eq!(code, 1);
        assert!(
            out.starts_with("configmap/before created\nerror: error parsing STDIN: "),
            "{out}"
        );
        assert!(c.get(crate::runtime::Kind::ConfigMap, "default", "after").is_none());
        // So does a document without a kind (kubectl's client-side check).
        let nokind = format!(
            "{}---\nmetadata:\n  name: x\n---\n{}",
            docs[0].replace("good", "before2"),
            docs[0].replace("good", "after2")
        );
        let (code, out) = kubectl_in(&c, &ws, Some(&nokind), "apply -f -").await;
        assert_eq!(code, 1);
        assert_eq!(
            out,
            "configmap/before2 created\nerror: error validating \"STDIN\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n"
        );
        assert!(c.get(crate::runtime::Kind::ConfigMap, "default", "after2").is_none());
        // A List is applied item by item.
        let list = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: l1}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: l2}}\n";
        assert_eq!(
            kubectl_in(&c, &ws, Some(list), "apply -f -").await,
            (0, "configmap/l1 created\nconfigmap/l2 created\n".into())
        );
        // Two builder errors and a failed write: the builder's share one line.
        let mixed = [
            "apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: g1\n",
            "apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: g2\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad\n",
        ]
        .join("---\n");
        let (_, out) = kubectl_in(&c, &ws, Some(&mixed), "apply -f -").await;
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("[resource mapping not found for name: \"g1\""),
            "{out}"
        );
        assert!(
            lines[1].starts_with("ensure CRDs are installed first, resource mapping not found for name: \"g2\""),
            "{out}"
        );
        assert!(
            lines[3].starts_with(
                "Error from server (Invalid): error when creating \"STDIN\": ConfigMap \"Bad\" is invalid"
            ),
            "{out}"
        );
    }
}
