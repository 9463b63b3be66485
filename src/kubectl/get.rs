//! `kubectl get`: list or fetch objects and print them as a table or in an `-o` format, and
//! `--watch` (the table, then one row per change, aligned with the rows before it).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;

use super::args::Parsed;
use super::errors::server_error;
use super::printers::{self, columns, Format};
use super::resources::{parse_targets, Target};
use super::tabwriter::TabWriter;
use super::Ctx;
use crate::io::Output;
use crate::runtime::api::FieldSelector;
use crate::runtime::selectors::Selector;
use crate::runtime::{Cluster, EventType, Kind, Object};

/// The warning the API server attaches to every read of v1 Endpoints since v1.33.
pub const ENDPOINTS_WARNING: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";

/// The options that shape a table.
#[derive(Debug, Clone, Default)]
pub struct TableOpts {
    pub wide: bool,
    pub with_namespace: bool,
    pub with_kind: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
}

/// Header cells for a table of `kind`.
pub fn header_row(kind: Kind, o: &TableOpts) -> Vec<String> {
    let mut h: Vec<String> = columns::headers(kind, o.wide).into_iter().map(String::from).collect();
    if o.with_namespace {
        h.insert(0, "NAMESPACE".into());
    }
    for l in &o.label_columns {
        h.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
    }
    if o.show_labels {
        h.push("LABELS".into());
    }
    h
}

/// One table row for `obj`.
pub fn object_row(obj: &Object, now: chrono::DateTime<chrono::Utc>, o: &TableOpts) -> Vec<String> {
    let name = if o.with_kind {
        printers::type_name(obj)
    } else {
        obj.name().to_string()
    };
    let mut r = columns::row(obj, &name, now, o.wide);
    if o.with_namespace {
        r.insert(0, obj.namespace().to_string());
    }
    for l in &o.label_columns {
        r.push(obj.labels().get(l).cloned().unwrap_or_default());
    }
    if o.show_labels {
        r.push(columns::format_labels(Some(obj.labels())));
    }
    r
}

/// kubectl's wording for a refused list with selectors (its resource builder's
/// `Unable to find "/v1, Resource=pods" that match label selector …`).
fn list_error(kind: Kind, sel: &Selector, fsel: &FieldSelector, e: &crate::runtime::ApiError) -> String {
    let info = kind.info();
    let fields: Vec<String> = fsel
        .0
        .iter()
        .map(|r| format!("{}{}{}", r.field, if r.equal { "=" } else { "!=" }, r.value))
        .collect();
    format!(
        "Error from server ({}): Unable to find \"{}/{}, Resource={}\" that match label selector \"{}\", field selector \"{}\": {e}",
        e.reason(),
        info.group,
        info.version,
        info.plural,
        sel,
        fields.join(",")
    )
}

/// The objects a `get` selects, in kubectl's order, plus the errors for missing names.
struct Selection {
    objects: Vec<Arc<Object>>,
    errors: Vec<String>,
}

fn select(cluster: &Cluster, targets: &[Target], ns: Option<&str>, sel: &Selector, fsel: &FieldSelector) -> Selection {
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for t in targets {
        match t {
            Target::All(k) => {
                // The field selector is the API server's to judge: fields a kind does not
                // offer are refused, and kubectl words the refusal.
                if let Err(e) = fsel.check(*k) {
                    errors.push(list_error(*k, sel, fsel, &e));
                    continue;
                }
                let list_ns = if k.namespaced() { ns } else { None };
                objects.extend(
                    cluster
                        .list(*k, list_ns)
                        .into_iter()
                        .filter(|o| sel.matches(o.labels()) && fsel.matches(o)),
                );
            }
            Target::Named(k, name) => match cluster.get(*k, ns.unwrap_or("default"), name) {
                Some(o) => objects.push(o),
                None => errors.push(server_error(&crate::runtime::ApiError::NotFound {
                    kind: *k,
                    name: name.clone(),
                })),
            },
        }
    }
    Selection { objects, errors }
}

fn sort_objects(objs: &mut [Arc<Object>], sort_by: &str) -> Result<(), String> {
    let expr = {
        let p = sort_by.trim();
        let inner = p.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(p);
        format!("{{.{}}}", inner.strip_prefix('.').unwrap_or(inner))
    };
    let jp = printers::jsonpath::JsonPath::parse(&expr).map_err(|e| format!("error parsing jsonpath {expr}, {e}"))?;
    let key = |o: &Object| jp.results(&o.to_json()).into_iter().next().unwrap_or(Value::Null);
    let mut keyed: Vec<(Value, Arc<Object>)> = objs.iter().map(|o| (key(o), o.clone())).collect();
    keyed.sort_by(|a, b| match (&a.0, &b.0) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
        (Value::Null, _) => std::cmp::Ordering::Less,
        (_, Value::Null) => std::cmp::Ordering::Greater,
        (x, y) => x.to_string().cmp(&y.to_string()),
    });
    for (slot, (_, o)) in objs.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

/// `kubectl get`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let files = p.all("filename");
    // Objects named in `-f` manifests: (kind, namespace, name).
    let mut from_files: Vec<(Kind, String, String)> = Vec::new();
    let mut file_errors: Vec<String> = Vec::new();
    if !files.is_empty() {
        let sources = match super::apply::read_sources(ctx, &files) {
            Ok(s) => s,
            Err(e) => return super::fail(out, &e),
        };
        let (objs, errs) = super::apply::decode_all(&sources, "getting");
        file_errors = errs;
        for (mut o, _) in objs {
            if let Err(e) = super::apply::set_namespace(&mut o, p) {
                return super::fail(out, &e);
            }
            from_files.push((o.kind(), o.namespace().to_string(), o.name().to_string()));
        }
    }
    let targets = match parse_targets(&p.positional) {
        Ok(t) if files.is_empty() => t,
        Ok(t) if t.is_empty() => from_files
            .iter()
            .map(|(k, _, n)| Target::Named(*k, n.clone()))
            .collect(),
        Ok(_) => {
            return super::fail(
                out,
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
            )
        }
        Err(e) => return super::fail(out, &e),
    };
    if targets.is_empty() && !file_errors.is_empty() {
        for e in &file_errors {
            out.err_line(e);
        }
        return 1;
    }
    if targets.is_empty() {
        out.err_line("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
        out.err_line("error: Required resource not specified.");
        out.err_line("Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).");
        out.err_line("See 'kubectl get -h' for help and examples");
        return 1;
    }
    let format = match Format::parse(p.get("output"), p.get("template")) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    let sel = match Selector::parse(p.get("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return super::fail(out, &e.to_string()),
    };
    let fsel = match FieldSelector::parse(p.get("field-selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return super::fail(out, &e.to_string()),
    };
    let all_ns = p.on("all-namespaces");
    let ns = p.namespace();
    let ns_opt = if all_ns { None } else { Some(ns.as_str()) };
    let kinds: Vec<Kind> = {
        let mut k: Vec<Kind> = Vec::new();
        for t in &targets {
            if !k.contains(&t.kind()) {
                k.push(t.kind());
            }
        }
        k
    };
    let watch = p.on("watch") || p.on("watch-only");
    if watch && kinds.len() > 1 {
        return super::fail(
            out,
            &format!(
                "watch is only supported on individual resources and resource collections, but {} resources were found",
                kinds.len()
            ),
        );
    }
    // Subscribe before listing so no change between the list and the watch is lost.
    let rx = ctx.cluster.watch();
    if kinds.contains(&Kind::Endpoints) {
        out.err_line(ENDPOINTS_WARNING);
    }
    let mut selection = if from_files.is_empty() {
        select(ctx.cluster, &targets, ns_opt, &sel, &fsel)
    } else {
        let mut sel_files = Selection {
            objects: Vec::new(),
            errors: file_errors.clone(),
        };
        for (k, n, name) in &from_files {
            match ctx.cluster.get(*k, n, name) {
                Some(o) => sel_files.objects.push(o),
                None => sel_files.errors.push(server_error(&crate::runtime::ApiError::NotFound {
                    kind: *k,
                    name: name.clone(),
                })),
            }
        }
        sel_files
    };
    if p.on("ignore-not-found") {
        selection
            .errors
            .retain(|e| !e.starts_with("Error from server (NotFound)"));
    }
    if let Some(s) = p.get("sort-by") {
        if let Err(e) = sort_objects(&mut selection.objects, s) {
            return super::fail(out, &e);
        }
    }
    let opts = TableOpts {
        wide: matches!(format, Format::Table { wide: true }),
        with_namespace: all_ns && kinds.iter().any(|k| k.namespaced()),
        with_kind: kinds.len() > 1,
        show_labels: p.on("show-labels"),
        label_columns: p
            .all("label-columns")
            .iter()
            .flat_map(|s| s.split(',').map(String::from))
            .collect(),
    };
    let no_headers = p.on("no-headers");
    let now = ctx.cluster.clock().now();
    let single = targets.len() == 1 && matches!(targets[0], Target::Named(..));
    let mut tw = TabWriter::new();
    let mut code = 0;
    if !p.on("watch-only") {
        match print_objects(
            &selection.objects,
            &format,
            &opts,
            no_headers,
            single,
            now,
            &mut tw,
            out,
        ) {
            Ok(()) => {}
            Err(e) => {
                out.err_line(&format!("error: {e}"));
                code = 1;
            }
        }
        let listing = targets.iter().all(|t| matches!(t, Target::All(_)));
        if selection.objects.is_empty() && selection.errors.is_empty() && listing && format.is_table() {
            if all_ns || kinds.iter().all(|k| !k.namespaced()) {
                out.err_line("No resources found");
            } else {
                out.err_line(&format!("No resources found in {ns} namespace."));
            }
        }
        for e in &selection.errors {
            out.err_line(e);
            code = 1;
        }
    }
    if !watch || code != 0 {
        return code;
    }
    watch_loop(ctx, rx, &targets, ns_opt, &sel, &fsel, &format, &opts, &mut tw, out).await
}

#[allow(clippy::too_many_arguments)]
fn print_objects(
    objs: &[Arc<Object>],
    format: &Format,
    opts: &TableOpts,
    no_headers: bool,
    single: bool,
    now: chrono::DateTime<chrono::Utc>,
    tw: &mut TabWriter,
    out: &Output,
) -> Result<(), String> {
    match format {
        Format::Table { .. } => {
            let mut first = true;
            let mut i = 0;
            while i < objs.len() {
                let kind = objs[i].kind();
                let mut rows = Vec::new();
                if !no_headers {
                    rows.push(header_row(kind, opts));
                }
                while i < objs.len() && objs[i].kind() == kind {
                    rows.push(object_row(&objs[i], now, opts));
                    i += 1;
                }
                if !first {
                    // A new resource group is a new table (kubectl flushes and forgets the
                    // remembered widths), set off by an empty line when it has a header.
                    *tw = TabWriter::new();
                    if !no_headers {
                        out.line("");
                    }
                }
                first = false;
                out.out(&tw.render(&rows));
            }
            Ok(())
        }
        Format::Name => {
            for o in objs {
                out.line(&printers::type_name(o));
            }
            Ok(())
        }
        Format::CustomColumns(cc) => {
            if objs.is_empty() {
                return Ok(());
            }
            let mut rows = Vec::new();
            if !no_headers {
                rows.push(cc.headers());
            }
            rows.extend(objs.iter().map(|o| cc.row(&o.to_json())));
            out.out(&tw.render(&rows));
            Ok(())
        }
        _ => {
            let data = if single && objs.len() == 1 {
                objs[0].to_json()
            } else {
                printers::list_value(&objs.iter().map(|o| o.to_json()).collect::<Vec<_>>())
            };
            if single && objs.is_empty() {
                return Ok(());
            }
            out.out(&printers::render_data(format, &data)?);
            Ok(())
        }
    }
}

fn matches_targets(obj: &Object, targets: &[Target], ns: Option<&str>, sel: &Selector, fsel: &FieldSelector) -> bool {
    if obj.kind().namespaced() && ns.is_some_and(|n| n != obj.namespace()) {
        return false;
    }
    targets.iter().any(|t| match t {
        Target::All(k) => *k == obj.kind() && sel.matches(obj.labels()) && fsel.matches(obj),
        Target::Named(k, n) => *k == obj.kind() && n == obj.name(),
    })
}

#[allow(clippy::too_many_arguments)]
async fn watch_loop(
    ctx: &Ctx<'_>,
    mut rx: broadcast::Receiver<crate::runtime::WatchEvent>,
    targets: &[Target],
    ns: Option<&str>,
    sel: &Selector,
    fsel: &FieldSelector,
    format: &Format,
    opts: &TableOpts,
    tw: &mut TabWriter,
    out: &Output,
) -> i32 {
    // Rows already shown, per object, without the AGE column: the lab's controllers write more
    // often than a real cluster's (bookkeeping updates that change nothing kubectl shows), so an
    // identical row is not printed twice in a row.
    let mut last_rows: HashMap<(String, String), Vec<String>> = HashMap::new();
    let age_col = opts.with_namespace as usize
        + columns::headers(targets[0].kind(), false)
            .iter()
            .position(|h| *h == "AGE")
            .unwrap_or(usize::MAX);
    for o in ctx
        .cluster
        .list(targets[0].kind(), ns)
        .iter()
        .filter(|o| matches_targets(o, targets, ns, sel, fsel))
    {
        let mut r = object_row(o, ctx.cluster.clock().now(), opts);
        if age_col < r.len() {
            r.remove(age_col);
        }
        last_rows.insert((o.namespace().to_string(), o.name().to_string()), r);
    }
    loop {
        let ev = match rx.recv().await {
            Ok(ev) => ev,
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return 0,
        };
        let obj = &ev.object;
        if !matches_targets(obj, targets, ns, sel, fsel) {
            continue;
        }
        let now = ctx.cluster.clock().now();
        match format {
            Format::Table { .. } => {
                let row = object_row(obj, now, opts);
                let mut key_row = row.clone();
                if age_col < key_row.len() {
                    key_row.remove(age_col);
                }
                let key = (obj.namespace().to_string(), obj.name().to_string());
                if ev.event != EventType::Deleted && last_rows.get(&key) == Some(&key_row) {
                    continue;
                }
                if ev.event == EventType::Deleted {
                    last_rows.remove(&key);
                } else {
                    last_rows.insert(key, key_row);
                }
                out.out(&tw.render(&[row]));
            }
            other => {
                if let Err(e) = print_objects(std::slice::from_ref(obj), other, opts, true, true, now, tw, out) {
                    out.err_line(&format!("error: {e}"));
                    return 1;
                }
            }
        }
    }
}

/// The table `kubectl get <kind>` prints (all namespaces when `namespace` is `None`).
pub fn table(cluster: &Cluster, kind: Kind, namespace: Option<&str>) -> super::table::Table {
    let opts = TableOpts {
        with_namespace: namespace.is_none() && kind.namespaced(),
        ..Default::default()
    };
    let now = cluster.clock().now();
    let headers = header_row(kind, &opts);
    let mut t = super::table::Table {
        headers,
        rows: Vec::new(),
    };
    for o in cluster.list(kind, namespace) {
        t.push(object_row(&o, now, &opts));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};
    use k8s_openapi::api::core::v1::{
        LoadBalancerIngress, LoadBalancerStatus, Service, ServicePort, ServiceSpec, ServiceStatus,
    };
    use std::collections::BTreeMap;

    fn svc(name: &str, ty: &str, ports: &[(i32, Option<i32>)]) -> Object {
        let mut s = Service::default();
        s.metadata.name = Some(name.into());
        s.metadata.labels = Some(BTreeMap::from([("app".to_string(), name.to_string())]));
        s.spec = Some(ServiceSpec {
            type_: Some(ty.into()),
            selector: Some(BTreeMap::from([("app".to_string(), name.to_string())])),
            ports: Some(
                ports
                    .iter()
                    .map(|(p, n)| ServicePort {
                        name: Some(format!("p{p}")),
                        port: *p,
                        node_port: *n,
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        });
        Object::Service(s)
    }

    #[tokio::test(start_paused = true)]
    async fn services_table() {
        let c = cluster().await;
        c.create(svc("web", "NodePort", &[(80, Some(31234)), (443, Some(30443))]))
            .unwrap();
        let ip = c
            .get(Kind::Service, "default", "web")
            .unwrap()
            .as_service()
            .unwrap()
            .spec
            .as_ref()
            .unwrap()
            .cluster_ip
            .clone()
            .unwrap();
        c.clock().sleep(std::time::Duration::from_secs(5)).await;
        let (code, text) = kubectl(&c, "get svc").await;
        assert_eq!(code, 0);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!(
                "NAME         TYPE        CLUSTER-IP{}EXTERNAL-IP   PORT(S)                      AGE",
                " ".repeat(ip.len().max(10) + 3 - 10)
            )
        );
        assert!(lines[1].starts_with("kubernetes   ClusterIP   10.96.0.1 "), "{text}");
        assert!(lines[1].contains("<none>        443/TCP "), "{text}");
        assert!(lines[2].contains(&format!("web          NodePort    {ip}")), "{text}");
        assert!(lines[2].ends_with("80:31234/TCP,443:30443/TCP   5s"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn load_balancer_pending_then_address_in_watch() {
        let c = cluster().await;
        c.create(svc("frontend", "LoadBalancer", &[(80, None)])).unwrap();
        let (_, text) = kubectl(&c, "get svc frontend -o wide").await;
        assert!(text.lines().nth(1).unwrap().contains("<pending>"), "{text}");
        assert!(text.lines().next().unwrap().ends_with("AGE   SELECTOR"), "{text}");
        let (out, buf) = Output::buffer();
        let c2 = c.clone();
        let task = tokio::spawn(async move {
            let ws = crate::workspace::Workspace::new("/nonexistent");
            let ctx = Ctx {
                cluster: &c2,
                workspace: &ws,
                stdin: None,
            };
            let args: Vec<String> = ["get", "svc", "frontend", "--watch"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            super::super::run(&ctx, &args, &out).await
        });
        c.clock().sleep(std::time::Duration::from_secs(1)).await;
        c.modify_status(Kind::Service, "default", "frontend", |o| {
            if let Object::Service(s) = o {
                s.status = Some(ServiceStatus {
                    load_balancer: Some(LoadBalancerStatus {
                        ingress: Some(vec![LoadBalancerIngress {
                            ip: Some("127.0.1.1".into()),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                });
            }
        })
        .unwrap();
        c.clock().sleep(std::time::Duration::from_secs(1)).await;
        task.abort();
        let text = buf.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[1].contains("<pending>") && lines[2].contains("127.0.1.1"),
            "{text}"
        );
        let col = |l: &str, w: &str| l.find(w).unwrap();
        assert_eq!(
            col(lines[0], "EXTERNAL-IP"),
            col(lines[2], "127.0.1.1"),
            "watch rows stay aligned:\n{text}"
        );
        assert_eq!(col(lines[0], "AGE"), col(lines[2], "1s"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn output_formats() {
        let c = cluster().await;
        c.create(svc("my-nginx", "NodePort", &[(80, Some(30080))])).unwrap();
        let (_, t) = kubectl(&c, "get svc my-nginx -o jsonpath={.spec.ports[0].nodePort}").await;
        assert_eq!(t, "30080");
        let (_, t) = kubectl(
            &c,
            "get services/my-nginx -o 'go-template={{(index .spec.ports 0).nodePort}}'",
        )
        .await;
        assert_eq!(t, "30080");
        let (_, t) = kubectl(&c, "get svc -o name").await;
        assert_eq!(t, "service/kubernetes\nservice/my-nginx\n");
        let (_, t) = kubectl(&c, "get svc my-nginx -o yaml").await;
        assert!(t.starts_with("apiVersion: v1\nkind: Service\n"), "{t}");
        assert!(t.contains("  - name: p80\n    nodePort: 30080\n"), "{t}");
        let (_, t) = kubectl(&c, "get svc -o json").await;
        assert!(t.contains("\"kind\": \"List\""), "{t}");
        let (_, t) = kubectl(
            &c,
            "get svc -l app=my-nginx -o custom-columns=NAME:.metadata.name,PORTS:.spec.ports[*].port",
        )
        .await;
        assert_eq!(t, "NAME       PORTS\nmy-nginx   80\n");
        let (_, t) = kubectl(
            &c,
            "get svc --sort-by=.metadata.name -o jsonpath={.items[-1:].metadata.name}",
        )
        .await;
        assert_eq!(t, "my-nginx");
    }

    #[tokio::test(start_paused = true)]
    async fn from_files_and_ignore_not_found() {
        let c = cluster().await;
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-dns\n  namespace: kube-system\n";
        let ws = crate::workspace::Workspace::new(std::env::temp_dir());
        let (code, t) = crate::kubectl::tests::testutil::kubectl_in(&c, &ws, Some(svc), "get -f - -o name").await;
        assert_eq!((code, t.as_str()), (0, "service/kube-dns\n"));
        assert_eq!(kubectl(&c, "get svc nope --ignore-not-found").await, (0, String::new()));
    }

    #[tokio::test(start_paused = true)]
    async fn errors_and_empty_results() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "get servcies").await,
            (
                1,
                "error: the server doesn't have a resource type \"servcies\"\n".into()
            )
        );
        assert_eq!(
            kubectl(&c, "get pods").await,
            (0, "No resources found in default namespace.\n".into())
        );
        assert_eq!(
            kubectl(&c, "get pods -n kube-public").await.1,
            "No resources found in kube-public namespace.\n"
        );
        assert_eq!(
            kubectl(&c, "get svc backend").await,
            (
                1,
                "Error from server (NotFound): services \"backend\" not found\n".into()
            )
        );
        assert_eq!(
            kubectl(&c, "get svc --foo").await,
            (
                1,
                "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n".into()
            )
        );
        assert_eq!(
            kubectl(&c, "gett pods").await,
            (
                1,
                "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n".into()
            )
        );
        let (code, t) = kubectl(&c, "get").await;
        assert_eq!(code, 1);
        assert!(t.contains("error: Required resource not specified."), "{t}");
    }

    #[tokio::test(start_paused = true)]
    async fn several_kinds_namespaces_and_labels() {
        let c = cluster().await;
        let (_, t) = kubectl(&c, "get svc,ns").await;
        assert!(t.starts_with("NAME                 TYPE        CLUSTER-IP"), "{t}");
        assert!(t.contains("service/kubernetes "), "{t}");
        assert!(t.contains("\n\nNAME  ") && t.contains("namespace/default "), "{t}");
        let (_, t) = kubectl(&c, "get svc -A").await;
        assert!(t.starts_with("NAMESPACE     NAME         TYPE"), "{t}");
        assert!(
            t.contains("kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP"),
            "{t}"
        );
        let (_, t) = kubectl(&c, "get ns default --show-labels --no-headers").await;
        assert!(
            t.starts_with("default   Active   ") && t.ends_with("   kubernetes.io/metadata.name=default\n"),
            "{t}"
        );
        let (_, t) = kubectl(&c, "get nodes").await;
        assert!(t.starts_with("NAME           STATUS   ROLES           AGE   VERSION\nminikube       Ready    control-plane   0s    v1.33.1\n"), "{t}");
        let (_, t) = kubectl(&c, "get endpoints kubernetes").await;
        assert!(
            t.starts_with(&format!("{ENDPOINTS_WARNING}\nNAME         ENDPOINTS")),
            "{t}"
        );
    }
}
