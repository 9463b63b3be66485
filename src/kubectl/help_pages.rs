//! The help pages, one [`Help`] table per command (rendered by [`super::help`]).
//!
//! The words are the lab's own, written for learners; the flag names, their defaults as kubectl
//! prints them and the usage lines are kubectl v1.33's. A page lists only flags the lab parses
//! for that command (a unit test in `help.rs` fails on any other): when a verb learns a flag,
//! add it here too.

use super::help::{Example, FlagDoc, Help, Page};

const fn ex(comment: &'static str, command: &'static str) -> Example {
    Example { comment, command }
}

const fn flag(long: &'static str, default: &'static str, doc: &'static str) -> FlagDoc {
    FlagDoc { long, default, doc }
}

// Flags several commands share, with the same default and meaning.
const ALL_NAMESPACES: FlagDoc = flag(
    "all-namespaces",
    "false",
    "Look in every namespace instead of only the current one (the --namespace flag is then ignored).",
);
const CHUNK_SIZE: FlagDoc = flag(
    "chunk-size",
    "500",
    "Fetch long lists from the server in pages of this many objects; 0 fetches everything at once.",
);
const DRY_RUN: FlagDoc = flag(
    "dry-run",
    "'none'",
    "One of 'none', 'server' or 'client'. With 'client' or 'server', show what would be sent without changing anything.",
);
const SELECTOR: FlagDoc = flag(
    "selector",
    "''",
    "Only act on objects whose labels match this label query, e.g. -l app=web,tier!=db or -l 'env in (prod)'.",
);
const TEMPLATE: FlagDoc = flag(
    "template",
    "''",
    "The Go template (or a file holding it) used with -o go-template or -o go-template-file.",
);
const VALIDATE: FlagDoc = flag(
    "validate",
    "'strict'",
    "How to check the objects against the schema before sending them: 'strict' refuses unknown or duplicate fields, 'warn' only reports them, 'ignore' skips the check.",
);
const OUTPUT_OBJECT: FlagDoc = flag(
    "output",
    "''",
    "Print the resulting object in this format instead of a one-line summary: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json or jsonpath-file.",
);
const TIMEOUT_ZERO: FlagDoc = flag(
    "timeout",
    "0s",
    "How long to wait before giving up (e.g. 30s, 2m); 0 means wait as long as the operation needs.",
);

const GET: Help = Help {
    long: "Show one or more resources.\n\n Without -o, prints a table with the columns that matter most for each kind of object. Narrow the list with a label selector (-l), or name the objects you want. Namespaced resources come from the current namespace unless you pass --namespace or --all-namespaces.\n\n With -o you choose another format: the whole object as yaml or json, just the names, or a Go template or JSONPath expression that picks out fields.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
    examples: &[
        ex("Show every pod in the current namespace", "kubectl get pods"),
        ex("The same, with extra columns such as the pod IP and the node", "kubectl get pods -o wide"),
        ex("Show one Service as YAML", "kubectl get service my-nginx -o yaml"),
        ex("Show Services and Deployments together", "kubectl get svc,deploy"),
        ex("Show only the pods labelled app=web, with all their labels", "kubectl get pods -l app=web --show-labels"),
        ex("Print the node port of a Service with a Go template", "kubectl get svc my-nginx -o go-template='{{(index .spec.ports 0).nodePort}}'"),
        ex("Print each Service's name and cluster IP in your own columns", "kubectl get svc -o custom-columns=NAME:.metadata.name,IP:.spec.clusterIP"),
        ex("Keep watching the Services and print each change", "kubectl get svc --watch"),
        ex("Show the pods of every namespace", "kubectl get pods --all-namespaces"),
    ],
    flags: &[
        ALL_NAMESPACES,
        CHUNK_SIZE,
        flag("field-selector", "''", "Only show objects whose fields match this query; supports '=', '==' and '!=' (e.g. --field-selector status.phase=Running)."),
        flag("filename", "[]", "A file, folder or URL that names the objects to show."),
        flag("ignore-not-found", "false", "Exit with 0 instead of an error when the named object does not exist."),
        flag("label-columns", "[]", "Labels to show as extra columns (comma separated, or repeat the flag: -L app -L tier)."),
        flag("no-headers", "false", "Leave out the header row of the table (default and custom-columns output)."),
        flag("output", "''", "The output format: json, yaml, name, wide, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns or custom-columns-file."),
        flag("show-kind", "false", "Print the resource type in front of each name."),
        flag("show-labels", "false", "Add a LABELS column with all of each object's labels."),
        SELECTOR,
        flag("sort-by", "''", "Sort the list by the field at this JSONPath, e.g. '{.metadata.name}'; the field must hold a string or a number."),
        TEMPLATE,
        flag("watch", "false", "After printing the list, keep printing every change to it until interrupted."),
        flag("watch-only", "false", "Print only the changes, without listing the objects first."),
    ],
    usage: "get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
};

const CREATE: Help = Help {
    long: "Create resources from a file, from stdin, or with one of the subcommands below.\n\n The file may hold YAML or JSON. Creating an object that already exists is an error; use 'kubectl apply' to create or update.",
    examples: &[
        ex("Create the objects described in a file", "kubectl create -f my-nginx-svc.yaml"),
        ex("Create a Deployment from the command line", "kubectl create deployment hello --image=nginx --replicas=2"),
        ex("Read a manifest from stdin", "cat pod.yaml | kubectl create -f -"),
    ],
    flags: &[
        DRY_RUN,
        flag("filename", "[]", "The file, folder or URL with the objects to create ('-' reads stdin)."),
        OUTPUT_OBJECT,
        flag("save-config", "false", "Store the object's configuration in an annotation, so a later 'kubectl apply' can compute changes from it."),
        VALIDATE,
    ],
    usage: "create -f FILENAME [options]",
};

const EXPOSE: Help = Help {
    long: "Make a new Service that sends traffic to an existing resource.\n\n Finds the deployment, replica set, replication controller, pod or service by name and reuses its selector for the new Service (pass --selector to choose another). The port comes from --port, or else from the resource's container ports. The new Service takes the resource's name unless you pass --name.\n\n Resources that can be exposed (case insensitive):\n\n pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)",
    examples: &[
        ex("Give the Deployment my-nginx a ClusterIP Service on port 80", "kubectl expose deployment my-nginx --port=80"),
        ex("Reach the Deployment from outside through a port on every node", "kubectl expose deployment hello-world --type=NodePort --name=example-service"),
        ex("Service port 80 sends traffic to container port 8080", "kubectl expose deployment web --port=80 --target-port=8080"),
        ex("Ask for an external load balancer", "kubectl expose deployment frontend --type=LoadBalancer --port=80"),
    ],
    flags: &[
        flag("external-ip", "''", "An extra address, not managed by Kubernetes, on which the Service also accepts traffic."),
        flag("filename", "[]", "A file, folder or URL naming the resource to expose."),
        flag("labels", "''", "Labels to put on the new Service."),
        flag("load-balancer-ip", "''", "The address to ask the load balancer for; empty lets the provider choose."),
        flag("name", "''", "The name of the new Service (default: the exposed resource's name)."),
        flag("port", "''", "The port the Service listens on (default: the resource's container port)."),
        flag("protocol", "''", "TCP, UDP or SCTP; TCP when not given."),
        flag("selector", "''", "The label selector for the Service (equality only); by default the exposed resource's own."),
        flag("session-affinity", "''", "'None' or 'ClientIP': with ClientIP a client keeps reaching the same pod."),
        flag("target-port", "''", "The container port, by number or name, the Service forwards to (default: the same as --port)."),
        flag("type", "''", "The Service type: ClusterIP (the default), NodePort, LoadBalancer or ExternalName."),
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
};

const RUN: Help = Help {
    long: "Start a pod that runs the given image.",
    examples: &[
        ex("Start an nginx pod", "kubectl run nginx --image=nginx"),
        ex("Start a pod that declares container port 8080", "kubectl run bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1 --port=8080"),
        ex("Open a shell in a throw-away pod, deleted when you exit", "kubectl run curl --image=radial/busyboxplus:curl -i --tty --rm"),
        ex("Set labels and an environment variable on the pod", "kubectl run web --image=nginx --labels=\"app=web,tier=front\" --env=\"MODE=demo\""),
        ex("Run a command instead of the image's default", "kubectl run once --image=busybox --restart=Never --command -- sh -c 'echo hi'"),
    ],
    flags: &[
        flag("command", "false", "Use the words after -- as the container's command instead of its arguments."),
        flag("env", "[]", "An environment variable (NAME=value) for the container; repeat for more."),
        flag("image", "''", "The container image to run."),
        flag("labels", "''", "Labels for the pod, comma separated (key=value,key2=value2)."),
        flag("port", "''", "The container port to declare."),
        flag("restart", "'Always'", "The pod's restart policy: Always, OnFailure or Never."),
        flag("rm", "false", "Delete the pod when the attached session ends (needs -i)."),
        flag("stdin", "false", "Keep the container's stdin open and attach to it."),
        flag("tty", "false", "Give the container a terminal."),
        DRY_RUN,
        flag("expose",
        "false",
        "Also make a ClusterIP Service for the pod on --port,
        selecting the pod's labels."),
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
};

const SET: Help = Help {
    long: "Change parts of existing application resources.\n\n Each subcommand changes one thing in a pod template (its image, its environment) and lets the controller roll the change out.",
    examples: &[],
    flags: &[],
    usage: "set SUBCOMMAND [options]",
};

const SET_IMAGE: Help = Help {
    long: "Change the image of one or more containers in a pod template.\n\n Works on pods, deployments, replica sets and replication controllers; a changed Deployment starts a new rollout.",
    examples: &[
        ex("Run nginx:1.27 in the nginx container of the Deployment web", "kubectl set image deployment/web nginx=nginx:1.27"),
        ex("Change every container of the Deployment at once", "kubectl set image deployment/web *=nginx:1.27"),
        ex("Change the image in every Deployment labelled app=web", "kubectl set image deployments -l app=web nginx=nginx:1.27"),
    ],
    flags: &[
        flag("all", "false", "Change every object of the given types in the namespace."),
        OUTPUT_OBJECT,
        SELECTOR,
        TEMPLATE,
    ],
    usage: "set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
};

const SET_ENV: Help = Help {
    long: "Add, change, remove or list the environment variables of a pod template.\n\n NAME=value sets a variable, NAME- removes it. A changed Deployment starts a new rollout, so its pods restart with the new environment.",
    examples: &[
        ex("Set MODE=debug in every container of the Deployment web", "kubectl set env deployment/web MODE=debug"),
        ex("List the variables of the Deployment's containers", "kubectl set env deployment/web --list"),
        ex("Remove MODE from the container named app only", "kubectl set env deployment/web --containers=app MODE-"),
        ex("Show the changed object instead of changing it quietly", "kubectl set env deployment/web MODE=debug -o yaml"),
    ],
    flags: &[
        flag("all", "false", "Change every object of the given types in the namespace."),
        flag("containers", "'*'", "Only the containers whose names match this pattern."),
        flag("env", "[]", "A variable to set (NAME=value) or remove (NAME-); repeatable."),
        flag("list", "false", "Print the variables of the containers instead of changing them."),
        OUTPUT_OBJECT,
        flag("overwrite", "true", "Replace the value of a variable that is already set; with false, an existing variable is an error."),
        SELECTOR,
        TEMPLATE,
    ],
    usage: "set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
};

const EDIT: Help = Help {
    long: "Open a resource in your editor and save your changes to the cluster.\n\n The object is written out as YAML (or JSON with -o json). When you save and close the editor, the changed object is sent back; if nothing changed, nothing is sent. If the change is refused, the editor opens again with the error at the top, and when you give up a copy of your version is kept in a temporary file.\n\n In the lab's TUI the built-in YAML editor opens; in 'k8s-lab shell' the editor named by KUBE_EDITOR or EDITOR runs.",
    examples: &[
        ex("Edit the Service my-nginx", "kubectl edit svc/my-nginx"),
        ex("Edit a Deployment as JSON", "kubectl edit deployment/web -o json"),
        ex("Edit the objects described in a file", "kubectl edit -f my-nginx-svc.yaml"),
    ],
    flags: &[
        flag("filename", "[]", "A file, folder or URL naming the resources to edit."),
        flag("output", "''", "The format to edit in: yaml (the default) or json."),
    ],
    usage: "edit (RESOURCE/NAME | -f FILENAME) [options]",
};

const DELETE: Help = Help {
    long: "Delete resources named on the command line, chosen by a label selector, or described in files.\n\n Give either file names, or types and names, or types and a selector.\n\n Pods shut down gracefully: they get a grace period (30 seconds unless the pod says otherwise) before they are stopped. --grace-period changes it, and --now makes it one second. Objects a controller owns (like the pods of a ReplicaSet) are deleted with their owner unless --cascade=orphan.\n\n A Deployment that owns a deleted pod starts a new one in its place: delete the Deployment to get rid of its pods.",
    examples: &[
        ex("Delete the Service my-nginx", "kubectl delete service my-nginx"),
        ex("Delete what the file describes", "kubectl delete -f my-nginx-svc.yaml"),
        ex("Delete the pods and Services labelled app=web", "kubectl delete pods,services -l app=web"),
        ex("Delete a pod at once, without the grace period", "kubectl delete pod web-0 --now"),
        ex("Delete every pod in the namespace", "kubectl delete pods --all"),
    ],
    flags: &[
        flag("all", "false", "Delete every object of the given types in the namespace."),
        ALL_NAMESPACES,
        flag("cascade", "'background'", "What happens to the objects this one owns: 'background' (deleted after it), 'foreground' (deleted before it) or 'orphan' (kept)."),
        flag("filename", "[]", "A file, folder or URL with the objects to delete."),
        flag("force", "false", "Remove the objects from the API at once, without waiting for graceful shutdown."),
        flag("grace-period", "-1", "Seconds the object gets to shut down; a negative value keeps the object's own default."),
        flag("ignore-not-found", "false", "Do not report objects that are already gone."),
        flag("now", "false", "Shut down with a one-second grace period."),
        SELECTOR,
        TIMEOUT_ZERO,
        flag("wait", "true", "Wait until the objects are really gone before returning."),
    ],
    usage: "delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
};

const ROLLOUT: Help = Help {
    long: "Follow and steer the rollouts of resources.\n\n Works on deployments.",
    examples: &[
        ex(
            "Wait until the Deployment web has rolled out",
            "kubectl rollout status deployment/web",
        ),
        ex(
            "List the Deployment's revisions",
            "kubectl rollout history deployment/web",
        ),
        ex(
            "Go back to the previous revision",
            "kubectl rollout undo deployment/web",
        ),
        ex(
            "Start new pods with the same template",
            "kubectl rollout restart deployment/web",
        ),
    ],
    flags: &[],
    usage: "rollout SUBCOMMAND [options]",
};

const SCALE: Help = Help {
    long: "Change the number of replicas of a deployment, replica set, replication controller or stateful set.\n\n With --current-replicas the change only happens if the current number is the one you expect.",
    examples: &[
        ex("Run three replicas of the Deployment web", "kubectl scale deployment/web --replicas=3"),
        ex("Scale only if there are two replicas now", "kubectl scale deployment/web --current-replicas=2 --replicas=4"),
        ex("Scale every Deployment labelled app=web", "kubectl scale deployments -l app=web --replicas=1"),
    ],
    flags: &[
        flag("all", "false", "Scale every object of the given types in the namespace."),
        flag("current-replicas", "-1", "Only scale when the resource has this many replicas now; -1 skips the check."),
        flag("replicas", "0", "The number of replicas wanted."),
        SELECTOR,
        TIMEOUT_ZERO,
    ],
    usage: "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
};

const CLUSTER_INFO: Help = Help {
    long: "Print where the control plane and the cluster's services (those labelled kubernetes.io/cluster-service=true) can be reached.",
    examples: &[ex("Show the control plane's address and the cluster services", "kubectl cluster-info")],
    flags: &[],
    usage: "cluster-info [flags] [options]",
};

const DESCRIBE: Help = Help {
    long: "Show the details of one resource or of a group of resources.\n\n Prints a readable report about each object, with the objects related to it and its recent events. Name one object, all objects of a type, those matching a label selector, or those whose names start with a prefix:\n\n        $ kubectl describe TYPE NAME_PREFIX\n\n shows the object named exactly NAME_PREFIX if there is one, and otherwise every object whose name starts with it.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
    examples: &[
        ex("Describe the Service my-nginx", "kubectl describe svc my-nginx"),
        ex("Describe every pod whose name starts with web", "kubectl describe pods web"),
        ex("Describe the pods labelled app=web", "kubectl describe pods -l app=web"),
        ex("Describe what the file names", "kubectl describe -f my-nginx-svc.yaml"),
    ],
    flags: &[
        ALL_NAMESPACES,
        CHUNK_SIZE,
        flag("filename", "[]", "A file, folder or URL naming the resources to describe."),
        SELECTOR,
        flag("show-events", "true", "Add the events about each object at the end."),
    ],
    usage: "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
};

const LOGS: Help = Help {
    long: "Print what a container in a pod has logged. The container name can be left out when the pod has only one.",
    examples: &[
        ex("Print the log of the pod web-0", "kubectl logs web-0"),
        ex(
            "Print the last 20 lines and keep following new ones",
            "kubectl logs -f --tail=20 web-0",
        ),
        ex(
            "Print the log of a pod of the Deployment web",
            "kubectl logs deploy/web",
        ),
        ex("Print the logs of the pods labelled app=web", "kubectl logs -l app=web"),
        ex(
            "Print the log of the container that ran before the last restart",
            "kubectl logs -p web-0",
        ),
    ],
    flags: &[
        flag(
            "all-containers",
            "false",
            "Print the logs of every container in the pods.",
        ),
        flag("container", "''", "The container whose log to print."),
        flag("follow", "false", "Keep printing new lines as they are logged."),
        flag(
            "previous",
            "false",
            "Print the log of the container's previous run, if it restarted.",
        ),
        SELECTOR,
        flag(
            "since",
            "0s",
            "Only lines newer than this, e.g. 10s, 5m or 1h; 0s prints everything.",
        ),
        flag(
            "tail",
            "-1",
            "Print only this many of the last lines; -1 prints all (10 with a selector).",
        ),
        flag("timestamps", "false", "Start each line with its timestamp."),
    ],
    usage: "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
};

const EXEC: Help = Help {
    long: "Run a command inside a container.",
    examples: &[
        ex(
            "Run env in the pod web-0 (first container)",
            "kubectl exec web-0 -- env",
        ),
        ex(
            "Ask the Service my-nginx for its page from inside a pod",
            "kubectl exec curl -- curl -s http://my-nginx",
        ),
        ex(
            "Open an interactive shell in the pod\nthe -- keeps the shell's own flags apart from kubectl's",
            "kubectl exec -it curl -- sh",
        ),
        ex(
            "Run a command in a pod of the Deployment web",
            "kubectl exec deploy/web -- printenv",
        ),
        ex(
            "Run a command in a pod behind the Service my-nginx",
            "kubectl exec svc/my-nginx -- printenv",
        ),
    ],
    flags: &[
        flag(
            "container",
            "''",
            "The container to run in; by default the pod's default container, or its first.",
        ),
        flag("filename", "[]", "A file naming the resource to run in."),
        flag("quiet", "false", "Print only what the command prints."),
        flag("stdin", "false", "Send your input to the command."),
        flag("tty", "false", "Treat your input as a terminal."),
    ],
    usage: "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
};

const PORT_FORWARD: Help = Help {
    long: "Forward local ports to a pod.\n\n Name the pod, or a resource such as deployment/web or service/my-nginx to use one of its pods; a bare name is a pod.\n\n When several pods match, one is picked. Forwarding stops when that pod goes away; run the command again to forward to another.",
    examples: &[
        ex("Listen on local port 8080 and forward to port 80 of the pod web-0", "kubectl port-forward pod/web-0 8080:80"),
        ex("Forward to a pod of the Service my-nginx, on the Service's port 80", "kubectl port-forward svc/my-nginx 8080:80"),
        ex("Use the same port number on both ends", "kubectl port-forward deployment/web 8080"),
        ex("Let the system choose the local port", "kubectl port-forward pod/web-0 :80"),
    ],
    flags: &[
        flag("address", "[localhost]", "Local addresses to listen on (comma separated): only localhost or loopback addresses in the lab."),
        flag("pod-running-timeout", "1m0s", "How long to wait for a pod to be running (e.g. 5s, 2m)."),
    ],
    usage: "port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
};

const APPLY: Help = Help {
    long: "Make resources look like their description in a file or on stdin, creating them if they do not exist yet.\n\n The file may hold YAML or JSON, and every object in it needs a name. kubectl remembers what you applied (in an annotation), so the next apply of an edited file changes only what you changed.",
    examples: &[
        ex("Create or update the objects in a file", "kubectl apply -f my-nginx-svc.yaml"),
        ex("Apply every manifest in a folder", "kubectl apply -f ./manifests/"),
        ex("Apply a manifest from a URL", "kubectl apply -f https://k8s.io/examples/service/networking/run-my-nginx.yaml"),
        ex("Apply what stdin says", "cat svc.yaml | kubectl apply -f -"),
    ],
    flags: &[
        DRY_RUN,
        flag("field-manager", "'kubectl-client-side-apply'", "The name recorded as the manager of the fields you set."),
        flag("filename", "[]", "The file, folder or URL with the objects to apply ('-' reads stdin)."),
        flag("force-conflicts", "false", "With --server-side, take over fields that another manager owns."),
        OUTPUT_OBJECT,
        flag("recursive", "false", "Also read the folders inside the folder given with -f."),
        flag("server-side", "false", "Let the server merge the change (server-side apply) instead of kubectl."),
        VALIDATE,
    ],
    usage: "apply (-f FILENAME | -k DIRECTORY) [options]",
};

const PATCH: Help = Help {
    long: "Change some fields of a resource with a patch.\n\n The patch can be a strategic merge patch (the default), a JSON merge patch or a JSON patch, in JSON or YAML.",
    examples: &[
        ex("Turn a Service into a LoadBalancer", "kubectl patch svc my-nginx -p '{\"spec\":{\"type\":\"LoadBalancer\"}}'"),
        ex("Change a Deployment's replica count", "kubectl patch deployment web -p '{\"spec\":{\"replicas\":3}}'"),
        ex("Replace the first port of a Service with a JSON patch", "kubectl patch svc my-nginx --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0/port\",\"value\":8080}]'"),
    ],
    flags: &[
        OUTPUT_OBJECT,
        flag("patch", "''", "The patch to apply to the object."),
        flag("type", "'strategic'", "The kind of patch: json, merge or strategic."),
    ],
    usage: "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
};

const REPLACE: Help = Help {
    long: "Replace resources with the ones in a file or on stdin.\n\n The file must describe the whole object, not just the fields to change; you can start from\n\n        $ kubectl get TYPE NAME -o yaml",
    examples: &[
        ex("Replace the Service with the file's version", "kubectl replace -f my-nginx-svc.yaml"),
        ex("Delete the object and create it again from the file", "kubectl replace --force -f my-nginx-svc.yaml"),
    ],
    flags: &[
        flag("filename", "[]", "The file, folder or URL with the objects to replace ('-' reads stdin)."),
        flag("force", "false", "Delete the objects and create them again, instead of updating them."),
        OUTPUT_OBJECT,
    ],
    usage: "replace -f FILENAME [options]",
};

const WAIT: Help = Help {
    long: "Experimental: Wait until one or more resources reach a condition.\n\n Waits until every named resource shows the condition in its status, until they are created (--for=create) or deleted (--for=delete), or until a field has a value (--for=jsonpath='{...}'=value).",
    examples: &[
        ex("Wait until the Deployment web is available", "kubectl wait --for=condition=Available deployment/web"),
        ex("Wait until the pods labelled app=web are ready, at most a minute", "kubectl wait --for=condition=Ready pod -l app=web --timeout=60s"),
        ex("Wait until the pod web-0 is gone", "kubectl wait --for=delete pod/web-0"),
        ex("Wait until a LoadBalancer Service has an address", "kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' svc/frontend"),
    ],
    flags: &[
        flag("all", "false", "Wait for every object of the given types in the namespace."),
        ALL_NAMESPACES,
        flag("for", "''", "What to wait for: create, delete, condition=NAME[=value] or jsonpath='{JSONPath}'[=value]."),
        SELECTOR,
        flag("timeout", "30s", "How long to wait before giving up; 0 checks once, a negative value waits a week."),
    ],
    usage: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
};

const LABEL: Help = Help {
    long: "Add, change or remove the labels of a resource.\n\n  *  Keys and values start with a letter or digit and may hold letters, digits, '-', '.' and '_', up to 63 characters.\n  *  A key may start with a DNS subdomain and a '/', as in example.com/app.\n  *  Changing a label that is already set needs --overwrite.\n  *  KEY- removes the label.",
    examples: &[
        ex("Label the pod web-0 with tier=front", "kubectl label pods web-0 tier=front"),
        ex("Change a label that is already set", "kubectl label --overwrite pods web-0 tier=back"),
        ex("Label every pod in the namespace", "kubectl label pods --all checked=yes"),
        ex("Remove the label tier", "kubectl label pods web-0 tier-"),
    ],
    flags: &[
        flag("all", "false", "Label every object of the given types in the namespace."),
        flag("list", "false", "Print the object's labels instead of changing them."),
        flag("overwrite", "false", "Allow changing labels that are already set."),
        flag("resource-version", "''", "Only change the object if it is still at this resourceVersion."),
        SELECTOR,
    ],
    usage: "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
};

const ANNOTATE: Help = Help {
    long: "Add, change or remove the annotations of a resource.\n\n Annotations are key/value notes for tools and people; unlike labels they are not used to select objects, and their values can be long. Changing an annotation that is already set needs --overwrite; KEY- removes it.",
    examples: &[
        ex("Add a note to the Service my-nginx", "kubectl annotate svc my-nginx owner='team a'"),
        ex("Change an annotation that is already set", "kubectl annotate --overwrite svc my-nginx owner='team b'"),
        ex("Remove the annotation owner", "kubectl annotate svc my-nginx owner-"),
    ],
    flags: &[
        flag("all", "false", "Annotate every object of the given types in the namespace."),
        flag("list", "false", "Print the object's annotations instead of changing them."),
        flag("overwrite", "false", "Allow changing annotations that are already set."),
        flag("resource-version", "''", "Only change the object if it is still at this resourceVersion."),
        SELECTOR,
    ],
    usage: "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
};

const API_RESOURCES: Help = Help {
    long: "List the kinds of resources the server knows.",
    examples: &[
        ex("List every resource type with its short names", "kubectl api-resources"),
        ex(
            "List only the namespaced types, with the verbs they support",
            "kubectl api-resources --namespaced=true -o wide",
        ),
        ex(
            "List the types of the apps API group",
            "kubectl api-resources --api-group=apps",
        ),
    ],
    flags: &[
        flag("api-group", "''", "Only types of this API group."),
        flag("cached", "false", "Use the cached list of types if there is one."),
        flag(
            "namespaced",
            "true",
            "true lists namespaced types, false the cluster-wide ones.",
        ),
        flag("no-headers", "false", "Leave out the header row."),
        flag("output", "''", "wide for more columns, or name for the names only."),
        flag("sort-by", "''", "Sort by 'name' or 'kind'."),
        flag("verbs", "[]", "Only types that support all of these verbs."),
    ],
    usage: "api-resources [flags] [options]",
};

const CONFIG: Help = Help {
    long: "Read and change kubeconfig files, e.g. \"kubectl config use-context my-context\".\n\n The lab's kubeconfig lives with the lab; it never reads or writes your own ~/.kube/config.",
    examples: &[],
    flags: &[],
    usage: "config SUBCOMMAND [options]",
};

const CONFIG_VIEW: Help = Help {
    long: "Print the kubeconfig settings.\n\n Certificates and keys are shown as DATA+OMITTED or REDACTED unless you pass --raw. With --minify, only what the current context uses is shown.",
    examples: &[
        ex("Print the kubeconfig", "kubectl config view"),
        ex("Print only what the current context uses", "kubectl config view --minify"),
        ex("Print the current context's cluster address", "kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}'"),
    ],
    flags: &[
        flag("flatten", "false", "Put the files the kubeconfig refers to into it, so it stands alone."),
        flag("minify", "false", "Show only what the current context uses."),
        flag("output", "'yaml'", "The format: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json or jsonpath-file."),
        flag("raw", "false", "Show certificates, keys and tokens in full."),
        TEMPLATE,
    ],
    usage: "config view [flags] [options]",
};

const CONFIG_GET_CONTEXTS: Help = Help {
    long: "List the contexts of the kubeconfig, or the one named.",
    examples: &[
        ex("List every context", "kubectl config get-contexts"),
        ex("Show one context", "kubectl config get-contexts minikube"),
    ],
    flags: &[
        flag("no-headers", "false", "Leave out the header row."),
        flag("output", "''", "name prints only the context names."),
    ],
    usage: "config get-contexts [(-o|--output=)name)] [options]",
};

const CONFIG_USE_CONTEXT: Help = Help {
    long: "Make a context the current one.",
    examples: &[ex(
        "Switch to the context minikube",
        "kubectl config use-context minikube",
    )],
    flags: &[],
    usage: "config use-context CONTEXT_NAME [options]",
};

const CONFIG_CURRENT_CONTEXT: Help = Help {
    long: "Print the name of the current context.",
    examples: &[ex("Which context is in use?", "kubectl config current-context")],
    flags: &[],
    usage: "config current-context [flags] [options]",
};

const VERSION: Help = Help {
    long: "Print the version of kubectl and of the cluster it talks to.",
    examples: &[
        ex("Print both versions", "kubectl version"),
        ex(
            "Print only kubectl's version, as YAML",
            "kubectl version --client -o yaml",
        ),
    ],
    flags: &[
        flag(
            "client",
            "false",
            "Print only kubectl's own version; the server is not asked.",
        ),
        flag("output", "''", "yaml or json."),
    ],
    usage: "version [flags] [options]",
};

const ROLLOUT_OUTPUT: FlagDoc = flag(
    "output",
    "''",
    "Print the changed object in this format instead of a one-line summary: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json or jsonpath-file.",
);
const ROLLOUT_SELECTOR: FlagDoc = flag(
    "selector",
    "''",
    "With a type and no names, only act on the objects whose labels match this query (e.g. -l app=web); supports '=', '==', '!=', 'in' and 'notin'.",
);

const ROLLOUT_STATUS: Help = Help {
    long: "Follow a rollout until it is done.\n\n Follows the newest rollout of the Deployment and prints a line each time its progress changes, until every replica runs the new template (then it exits with 0) or the rollout is stuck past its progress deadline (then it exits with 1). With --watch=false it prints the current state once and returns. If another rollout starts while you watch, the new one is followed; pass --revision=N to give up instead when revision N is replaced.",
    examples: &[
        ex("Follow the Deployment web until its rollout is done", "kubectl rollout status deployment/web"),
        ex("Print where the rollout stands now, without waiting", "kubectl rollout status deployment/web --watch=false"),
        ex("Wait at most two minutes for the rollout", "kubectl rollout status deployment/web --timeout=2m"),
    ],
    flags: &[
        flag("revision", "0", "Follow only this revision; fail if another rollout replaces it (0 follows the newest)."),
        ROLLOUT_SELECTOR,
        flag("timeout", "0s", "How long to watch before giving up (e.g. 30s, 2m); 0 watches until the rollout ends."),
        flag("watch", "true", "Keep printing progress until the rollout ends; false prints the current state once."),
    ],
    usage: "rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
};

const ROLLOUT_HISTORY: Help = Help {
    long: "List the revisions of a resource's rollouts.\n\n Each revision is a pod template the Deployment has run, kept in one of its ReplicaSets; CHANGE-CAUSE shows the kubernetes.io/change-cause annotation of that revision. With --revision, the pod template of that one revision is printed.",
    examples: &[
        ex("List the revisions of the Deployment web", "kubectl rollout history deployment/web"),
        ex("Show the pod template of revision 2", "kubectl rollout history deployment/web --revision=2"),
        ex("Print revision 2 as YAML", "kubectl rollout history deployment/web --revision=2 -o yaml"),
    ],
    flags: &[
        ROLLOUT_OUTPUT,
        flag("revision", "0", "Show the details of this revision instead of the list (0 lists them all)."),
        ROLLOUT_SELECTOR,
        TEMPLATE,
    ],
    usage: "rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
};

const ROLLOUT_UNDO: Help = Help {
    long: "Go back to an earlier rollout.\n\n Puts the pod template of an earlier revision (by default the one before the current) back into the Deployment, which then rolls it out as a new revision.",
    examples: &[
        ex("Return the Deployment web to its previous template", "kubectl rollout undo deployment/web"),
        ex("Return to revision 2 exactly", "kubectl rollout undo deployment/web --to-revision=2"),
        ex("Show what the rollback would do without doing it", "kubectl rollout undo deployment/web --dry-run=client"),
    ],
    flags: &[
        DRY_RUN,
        ROLLOUT_OUTPUT,
        ROLLOUT_SELECTOR,
        TEMPLATE,
        flag("to-revision", "0", "The revision to go back to; 0 means the one before the current."),
    ],
    usage: "rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
};

const ROLLOUT_RESTART: Help = Help {
    long: "Replace the pods of a resource with new ones.\n\n Replaces every pod of the Deployment with a new one, one batch at a time as any rollout does, without changing anything else: the pod template gets a fresh kubectl.kubernetes.io/restartedAt annotation.",
    examples: &[
        ex("Start fresh pods for the Deployment web", "kubectl rollout restart deployment/web"),
        ex("Restart every Deployment in the namespace dev", "kubectl rollout restart deployment -n dev"),
        ex("Restart only the Deployments labelled app=web", "kubectl rollout restart deployment -l app=web"),
    ],
    flags: &[ROLLOUT_OUTPUT, ROLLOUT_SELECTOR, TEMPLATE],
    usage: "rollout restart RESOURCE [options]",
};

const ROLLOUT_PAUSE: Help = Help {
    long: "Hold back the rollouts of a resource.\n\n While a Deployment is paused, changes to its pod template are recorded but not rolled out; the pods it has keep running. 'kubectl rollout resume' rolls out what changed in the meantime. Only Deployments can be paused.",
    examples: &[
        ex("Hold the rollouts of the Deployment web\nso several changes can go out later as one rollout", "kubectl rollout pause deployment/web"),
    ],
    flags: &[ROLLOUT_OUTPUT, ROLLOUT_SELECTOR, TEMPLATE],
    usage: "rollout pause RESOURCE [options]",
};

const ROLLOUT_RESUME: Help = Help {
    long: "Let a paused resource roll out again.\n\n The Deployment starts rolling out again, beginning with whatever changed while it was paused. Only Deployments can be paused and resumed.",
    examples: &[ex("Let the paused Deployment web roll out again", "kubectl rollout resume deployment/web")],
    flags: &[ROLLOUT_OUTPUT, ROLLOUT_SELECTOR, TEMPLATE],
    usage: "rollout resume RESOURCE [options]",
};

const FROM_FILE: FlagDoc = flag(
    "from-file",
    "[]",
    "Add a file as a key (the file's name, or KEY in KEY=path) whose value is the file's content; a folder adds each file in it. Repeatable.",
);
const FROM_LITERAL: FlagDoc = flag(
    "from-literal",
    "[]",
    "Add a key and its value given on the command line (key=value). Repeatable.",
);
const TCP: FlagDoc = flag(
    "tcp",
    "[]",
    "A TCP port of the Service and the container port it sends to, as port or port:targetPort; repeat or separate with commas for more.",
);

const CREATE_DEPLOYMENT: Help = Help {
    long: "Create a Deployment that runs the given images.\n\n The Deployment runs one container per --image, each named after its image, and labels and selects its pods with app=NAME.",
    examples: &[
        ex("A Deployment web with one nginx pod", "kubectl create deployment web --image=nginx"),
        ex("Three replicas, each declaring container port 8080", "kubectl create deployment kubia --image=luksa/kubia --replicas=3 --port=8080"),
        ex("Two containers in each pod", "kubectl create deployment pair --image=nginx --image=busybox"),
    ],
    flags: &[
        flag("image", "[]", "The image of a container; repeat for more containers."),
        flag("port", "-1", "The container port to declare on each container (-1: none)."),
        flag("replicas", "1", "How many pods the Deployment keeps running."),
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "create deployment NAME --image=image -- [COMMAND] [args...] [options]",
};

const CREATE_CONFIGMAP: Help = Help {
    long: "Create a config map from files, folders or values typed on the command line.\n\n Every key becomes an entry of the ConfigMap. A file's key is its name unless you give one; a folder adds each regular file in it, keyed by its name.",
    examples: &[
        ex("A ConfigMap with one key per file in the folder conf", "kubectl create configmap web-conf --from-file=conf/"),
        ex("Store default.conf under the key nginx.conf", "kubectl create configmap nginxconfigmap --from-file=nginx.conf=default.conf"),
        ex("Two keys given on the command line", "kubectl create configmap settings --from-literal=mode=demo --from-literal=level=2"),
    ],
    flags: &[FROM_FILE, FROM_LITERAL, DRY_RUN, OUTPUT_OBJECT, TEMPLATE],
    usage: "create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
};

const CREATE_NAMESPACE: Help = Help {
    long: "Make a new namespace with the given name.",
    examples: &[ex("A namespace called dev", "kubectl create namespace dev")],
    flags: &[DRY_RUN, OUTPUT_OBJECT, TEMPLATE],
    usage: "create namespace NAME [--dry-run=server|client|none] [options]",
};

const CREATE_SECRET: Help = Help {
    long: "Create a secret of one of the types below.\n\n A generic secret (type Opaque unless you say otherwise) holds any keys and values.\n\n A tls secret holds a certificate and its private key.",
    examples: &[],
    flags: &[],
    usage: "create secret (docker-registry | generic | tls) [options]",
};

const CREATE_SECRET_GENERIC: Help = Help {
    long: "Create a secret from files, folders or values typed on the command line.\n\n Every key becomes an entry of the Secret (stored base64-encoded). A file's key is its name unless you give one; a folder adds each regular file in it, keyed by its name.",
    examples: &[
        ex("A Secret with one key per file in the folder creds", "kubectl create secret generic db-creds --from-file=creds/"),
        ex("Store id_rsa under the key ssh-key", "kubectl create secret generic ssh --from-file=ssh-key=id_rsa"),
        ex("Keys given on the command line", "kubectl create secret generic db-pass --from-literal=user=admin --from-literal=password=s3cret"),
    ],
    flags: &[
        FROM_FILE,
        FROM_LITERAL,
        flag("type", "''", "The Secret's type (Opaque when not given)."),
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
};

const CREATE_SECRET_TLS: Help = Help {
    long: "Create a TLS secret from a certificate and its private key.\n\n Both files must exist and hold PEM data; they are stored under the keys tls.crt and tls.key.",
    examples: &[ex(
        "A TLS Secret for nginx from the files made by openssl",
        "kubectl create secret tls nginxsecret --cert=/tmp/nginx.crt --key=/tmp/nginx.key",
    )],
    flags: &[
        flag("cert", "''", "The file with the PEM-encoded certificate."),
        flag("key", "''", "The file with the PEM-encoded private key of the certificate."),
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
};

const CREATE_SERVICE: Help = Help {
    long: "Create a service of one of the types below.",
    examples: &[],
    flags: &[],
    usage: "create service [flags] [options]",
};

const CREATE_SERVICE_CLUSTERIP: Help = Help {
    long: "Make a ClusterIP Service named NAME.\n\n The Service selects the pods labelled app=NAME and gets an address reachable inside the cluster.",
    examples: &[
        ex("Port 80 of the Service sends to port 8080 of the pods app=web", "kubectl create service clusterip web --tcp=80:8080"),
        ex("Choose the Service's cluster IP yourself", "kubectl create service clusterip web --tcp=80 --clusterip=10.96.0.50"),
    ],
    flags: &[
        flag("clusterip", "''", "The cluster IP to ask for; empty lets the cluster choose one."),
        TCP,
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
};

const CREATE_SERVICE_NODEPORT: Help = Help {
    long: "Make a NodePort Service named NAME.\n\n Like a ClusterIP Service, and also reachable from outside on the same port of every node.",
    examples: &[
        ex("Reach port 8080 of the pods app=web on a node port the cluster picks", "kubectl create service nodeport web --tcp=80:8080"),
        ex("Pick the node port yourself", "kubectl create service nodeport web --tcp=80:8080 --node-port=30080"),
    ],
    flags: &[
        flag("node-port", "0", "The port to open on every node (0 lets the cluster choose one)."),
        TCP,
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
};

const CREATE_SERVICE_LOADBALANCER: Help = Help {
    long: "Make a LoadBalancer Service named NAME.\n\n Like a NodePort Service, and also asks for an external load balancer that sends traffic to it.",
    examples: &[ex("Put port 80 of the pods app=frontend behind a load balancer", "kubectl create service loadbalancer frontend --tcp=80")],
    flags: &[TCP, DRY_RUN, OUTPUT_OBJECT, TEMPLATE],
    usage: "create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
};

const CREATE_SERVICE_EXTERNALNAME: Help = Help {
    long: "Make an ExternalName Service named NAME.\n\n The Service has no pods and no cluster IP: the cluster DNS answers its name with a CNAME for the external name, so pods can use a stable in-cluster name for something outside.",
    examples: &[ex("Make db resolve to db.example.com", "kubectl create service externalname db --external-name db.example.com")],
    flags: &[
        flag("external-name", "''", "The DNS name the Service stands for."),
        TCP,
        DRY_RUN,
        OUTPUT_OBJECT,
        TEMPLATE,
    ],
    usage: "create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
};

/// Every page, by command path.
pub const PAGES: &[Page] = &[
    Page {
        path: "create",
        help: &CREATE,
    },
    Page {
        path: "create configmap",
        help: &CREATE_CONFIGMAP,
    },
    Page {
        path: "create deployment",
        help: &CREATE_DEPLOYMENT,
    },
    Page {
        path: "create namespace",
        help: &CREATE_NAMESPACE,
    },
    Page {
        path: "create secret",
        help: &CREATE_SECRET,
    },
    Page {
        path: "create secret generic",
        help: &CREATE_SECRET_GENERIC,
    },
    Page {
        path: "create secret tls",
        help: &CREATE_SECRET_TLS,
    },
    Page {
        path: "create service",
        help: &CREATE_SERVICE,
    },
    Page {
        path: "create service clusterip",
        help: &CREATE_SERVICE_CLUSTERIP,
    },
    Page {
        path: "create service externalname",
        help: &CREATE_SERVICE_EXTERNALNAME,
    },
    Page {
        path: "create service loadbalancer",
        help: &CREATE_SERVICE_LOADBALANCER,
    },
    Page {
        path: "create service nodeport",
        help: &CREATE_SERVICE_NODEPORT,
    },
    Page {
        path: "expose",
        help: &EXPOSE,
    },
    Page {
        path: "run",
        help: &RUN,
    },
    Page {
        path: "set",
        help: &SET,
    },
    Page {
        path: "set env",
        help: &SET_ENV,
    },
    Page {
        path: "set image",
        help: &SET_IMAGE,
    },
    Page {
        path: "get",
        help: &GET,
    },
    Page {
        path: "edit",
        help: &EDIT,
    },
    Page {
        path: "delete",
        help: &DELETE,
    },
    Page {
        path: "rollout",
        help: &ROLLOUT,
    },
    Page {
        path: "rollout history",
        help: &ROLLOUT_HISTORY,
    },
    Page {
        path: "rollout pause",
        help: &ROLLOUT_PAUSE,
    },
    Page {
        path: "rollout restart",
        help: &ROLLOUT_RESTART,
    },
    Page {
        path: "rollout resume",
        help: &ROLLOUT_RESUME,
    },
    Page {
        path: "rollout status",
        help: &ROLLOUT_STATUS,
    },
    Page {
        path: "rollout undo",
        help: &ROLLOUT_UNDO,
    },
    Page {
        path: "scale",
        help: &SCALE,
    },
    Page {
        path: "cluster-info",
        help: &CLUSTER_INFO,
    },
    Page {
        path: "describe",
        help: &DESCRIBE,
    },
    Page {
        path: "logs",
        help: &LOGS,
    },
    Page {
        path: "exec",
        help: &EXEC,
    },
    Page {
        path: "port-forward",
        help: &PORT_FORWARD,
    },
    Page {
        path: "apply",
        help: &APPLY,
    },
    Page {
        path: "patch",
        help: &PATCH,
    },
    Page {
        path: "replace",
        help: &REPLACE,
    },
    Page {
        path: "wait",
        help: &WAIT,
    },
    Page {
        path: "label",
        help: &LABEL,
    },
    Page {
        path: "annotate",
        help: &ANNOTATE,
    },
    Page {
        path: "api-resources",
        help: &API_RESOURCES,
    },
    Page {
        path: "config",
        help: &CONFIG,
    },
    Page {
        path: "config current-context",
        help: &CONFIG_CURRENT_CONTEXT,
    },
    Page {
        path: "config get-contexts",
        help: &CONFIG_GET_CONTEXTS,
    },
    Page {
        path: "config use-context",
        help: &CONFIG_USE_CONTEXT,
    },
    Page {
        path: "config view",
        help: &CONFIG_VIEW,
    },
    Page {
        path: "version",
        help: &VERSION,
    },
];
