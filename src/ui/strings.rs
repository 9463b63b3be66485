//! Every string the UI itself shows, in Korean and English, in one place so a translator (or
//! a reviewer checking that nothing is left in one language) reads one file.

use super::Lang;

/// A UI string in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub ko: &'static str,
    pub en: &'static str,
}

impl Tr {
    pub const fn new(ko: &'static str, en: &'static str) -> Tr {
        Tr { ko, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ko => self.ko,
            Lang::En => self.en,
        }
    }
}

pub const LESSON: Tr = Tr::new("레슨", "Lesson");
/// Where the cluster DNS answers the learner's own shell; `{ip}` and `{port}` are filled in.
pub const DNS_NOTE: Tr = Tr::new(
    "클러스터 DNS는 {ip}:{port} 에서 응답합니다. 내 셸에서: dig @{ip} -p {port} kubernetes.default.svc.cluster.local",
    "The cluster DNS answers on {ip}:{port}. From your own shell: dig @{ip} -p {port} kubernetes.default.svc.cluster.local",
);
pub const STEPS: Tr = Tr::new("단계", "Steps");
pub const RESOURCES: Tr = Tr::new("리소스", "Resources");
pub const TERMINAL: Tr = Tr::new("터미널", "Terminal");
pub const HELP_TITLE: Tr = Tr::new("도움말 — 키", "Help — keys");
pub const HELP_SCROLL: Tr = Tr::new("↑↓ PgUp/PgDn: 스크롤", "↑↓ PgUp/PgDn: scroll");
pub const HELP_CLOSE: Tr = Tr::new("Esc: 닫기", "Esc: close");
pub const HINT: Tr = Tr::new("힌트", "Hint");
pub const NO_HINTS: Tr = Tr::new("이 단계에는 힌트가 없습니다.", "This step has no hints.");
pub const NO_MORE_HINTS: Tr = Tr::new("힌트를 모두 보았습니다.", "No more hints.");
pub const SOLUTION: Tr = Tr::new("정답", "Solution");
pub const SOLUTION_KEY: Tr = Tr::new("F9: 명령 줄에 넣기", "F9: put it on the command line");
pub const SOLUTION_STAGED: Tr = Tr::new(
    "정답 {i}/{n}을 명령 줄에 넣었습니다 — Enter: 실행",
    "Solution {i}/{n} is on the command line — Enter runs it",
);
pub const BLOCK_STAGED: Tr = Tr::new(
    "코드 블록을 명령 줄에 넣었습니다 — Enter: 실행",
    "The code block is on the command line — Enter runs it",
);
pub const NO_BLOCK: Tr = Tr::new(
    "이 단계에는 {n}번째 코드 블록이 없습니다.",
    "This step has no code block {n}.",
);
pub const STAGE_BUSY: Tr = Tr::new(
    "입력 중인 명령이 있습니다: 먼저 끝내거나 Ctrl+C로 버리세요.",
    "A command is still open: finish it, or drop it with Ctrl+C, first.",
);
pub const NO_SOLUTION: Tr = Tr::new(
    "이 단계에는 정답 명령이 없습니다.",
    "This step has no solution commands.",
);
pub const STEP_DONE: Tr = Tr::new("완료! F6: 다음 단계", "Done! F6: next step");
pub const STEP_DONE_LAST: Tr = Tr::new("완료! F6: 레슨 마치기", "Done! F6: finish the lesson");
/// The step list's mark for a step left with F6 without passing.
pub const SKIPPED_MARK: &str = "↷ ";
pub const STATUS_POSITION: Tr = Tr::new("단계 {s}/{n} · 레슨 {l}/{m}", "step {s}/{n} · lesson {l}/{m}");
pub const STATUS_STEP: Tr = Tr::new("단계 {s}/{n}", "step {s}/{n}");
pub const SUMMARY_TITLE: Tr = Tr::new("레슨을 마쳤습니다", "Lesson complete");
pub const SUMMARY_DONE: Tr = Tr::new("✓ 완료한 단계: {n}/{total}", "✓ Steps done: {n} of {total}");
pub const SUMMARY_SKIPPED: Tr = Tr::new("↷ 건너뛴 단계: {n}", "↷ Steps skipped: {n}");
pub const SUMMARY_OPEN: Tr = Tr::new("아직 하지 않은 단계: {n}", "Steps not yet done: {n}");
pub const SUMMARY_TIME: Tr = Tr::new("걸린 시간: {t}", "Time spent: {t}");
pub const SUMMARY_NEXT: Tr = Tr::new(
    "다음 레슨: Ctrl+Q로 나간 뒤 `k8s-lab start {next}`",
    "Next lesson: quit with Ctrl+Q, then `k8s-lab start {next}`",
);
pub const SUMMARY_LAST: Tr = Tr::new(
    "마지막 레슨이었습니다. `k8s-lab list` 로 모든 레슨의 진행 상황을 볼 수 있습니다.",
    "That was the last lesson. `k8s-lab list` shows your progress in every lesson.",
);
pub const SUMMARY_BACK: Tr = Tr::new(
    "F5: 마지막 단계로 돌아가기 — 건너뛴 단계는 F5로 찾아가 다시 할 수 있습니다.",
    "F5: back to the last step — go back to a skipped step with F5 to do it after all.",
);
pub const HOURS_MINUTES: Tr = Tr::new("{h}시간 {m}분", "{h} h {m} min");
pub const MINUTES_SECONDS: Tr = Tr::new("{m}분 {s}초", "{m} min {s} s");
pub const SECONDS: Tr = Tr::new("{s}초", "{s} s");

/// A duration as the summary says it: `1 h 5 min`, `12 min 3 s`, `40 s`.
pub fn duration(secs: u64, lang: Lang) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let n = |v: u64| v.to_string();
    if h > 0 {
        fill(HOURS_MINUTES.get(lang), &[("h", n(h)), ("m", n(m))])
    } else if m > 0 {
        fill(MINUTES_SECONDS.get(lang), &[("m", n(m)), ("s", n(s))])
    } else {
        fill(SECONDS.get(lang), &[("s", n(s))])
    }
}
pub const CHECK: Tr = Tr::new("확인", "Check");
pub const RUNNING: Tr = Tr::new("실행 중 — Ctrl+C: 취소", "running — Ctrl+C: cancel");
pub const SCROLLED: Tr = Tr::new("스크롤됨 — PgDn", "scrolled — PgDn");
/// Under a table too wide for its pane: the columns left out.
pub const HIDDEN_COLUMNS: Tr = Tr::new(
    "(숨긴 열: {cols} — 창을 넓히면 보입니다)",
    "(not shown: {cols} — widen the window)",
);
pub const HIDDEN_COLUMNS_SHORT: Tr = Tr::new("(숨긴 열: {cols})", "(not shown: {cols})");
pub const EMPTY_TABLE: Tr = Tr::new("리소스가 없습니다", "No resources found");
pub const TOO_SMALL: Tr = Tr::new("터미널 창이 너무 작습니다", "The terminal window is too small");
pub const TOO_SMALL_SIZE: Tr = Tr::new("현재 {w}×{h}, 최소 {mw}×{mh}", "now {w}×{h}, at least {mw}×{mh}");
pub const TOO_SMALL_HINT: Tr = Tr::new(
    "창을 키우거나 글꼴을 줄이세요. Ctrl+Q: 종료",
    "Enlarge the window or use a smaller font. Ctrl+Q: quit",
);
pub const QUEUED: Tr = Tr::new("대기 중인 명령", "queued");
pub const NO_LESSON_STEPS: Tr = Tr::new("이 레슨에는 단계가 없습니다.", "This lesson has no steps.");
pub const SHELL_GONE: Tr = Tr::new(
    "내부 오류: 셸이 멈췄습니다. 진행 상황은 저장되어 있습니다.",
    "internal error: the shell stopped. Your progress is saved.",
);

/// `edit ` Tab Tab in a workspace with no files.
pub const NO_FILES: Tr = Tr::new(
    "아직 파일이 없습니다. 새로 만들려면: edit new.yaml (Ctrl+S로 저장하고 적용)",
    "No files here yet. Make one: edit new.yaml (Ctrl+S saves it and applies it)",
);
pub const EDITOR: Tr = Tr::new("편집기", "Editor");
pub const MODIFIED: Tr = Tr::new("● 수정됨", "● modified");
pub const EDITOR_OK: Tr = Tr::new(
    "✓ 오류 없음 — Ctrl+S: 저장·적용",
    "✓ no errors — Ctrl+S: save and apply",
);
pub const EDITOR_LINE: Tr = Tr::new("{n}번째 줄: ", "line {n}: ");
pub const NO_EDITOR: Tr = Tr::new(
    "열린 파일이 없습니다. edit 파일이름 또는 kubectl edit svc 이름",
    "No file is open: edit FILE or kubectl edit svc NAME",
);
pub const BUFFER_BUSY: Tr = Tr::new(
    "편집기의 {name}에 저장하지 않은 내용이 있습니다. F7로 돌아가 Ctrl+S(저장) 또는 Ctrl+X(닫기)를 먼저 하세요.",
    "The editor has unsaved changes in {name}: F7 to go back, then Ctrl+S to save or Ctrl+X to close it first.",
);
pub const CONFIRM_CLOSE: Tr = Tr::new(
    "저장하지 않은 내용이 있습니다: Ctrl+X 한 번 더 = 버리기, Ctrl+S = 저장",
    "Unsaved changes: Ctrl+X again discards them, Ctrl+S saves",
);
pub const EXIT_NOTE: Tr = Tr::new(
    "exit: 랩의 터미널은 닫히지 않습니다. k8s-lab을 끝내려면 Ctrl+Q",
    "exit: the lab's terminal stays open; Ctrl+Q quits k8s-lab",
);
pub const CONFIRM_RESET: Tr = Tr::new(
    "레슨을 처음부터 할까요? 클러스터와 진행 상황이 새로 시작됩니다 (파일은 그대로). F10(Alt+X) 한 번 더 = 초기화",
    "Start this lesson over? The cluster and your progress begin anew (your files stay). F10 (Alt+X) again resets",
);
pub const CONFIRM_QUIT: Tr = Tr::new(
    "편집기에 저장하지 않은 내용이 있습니다: Ctrl+Q 한 번 더 = 종료",
    "The editor has unsaved changes: Ctrl+Q again quits",
);
pub const SAVE_FAILED: Tr = Tr::new("저장하지 못했습니다: {err}", "Could not save: {err}");
pub const APPLY_FAILED: Tr = Tr::new(
    "저장했지만 적용에 실패했습니다 (터미널 참고). 내용은 그대로입니다.",
    "Saved, but the apply failed (see the terminal). The buffer is as you typed it.",
);
pub const TRAFFIC: Tr = Tr::new("트래픽", "traffic");
pub const TRAFFIC_PATHS: Tr = Tr::new("보낸 곳 → 서비스 → 파드 (요청 수)", "from → Service → pod (requests)");
pub const TRAFFIC_RECENT: Tr = Tr::new("최근 요청", "last requests");
pub const TRAFFIC_MISSED: Tr = Tr::new(" (놓친 이벤트 {n}개)", " ({n} events missed)");
pub const TRAFFIC_REFUSED: Tr = Tr::new("거부됨 (엔드포인트 없음)", "refused (no endpoints)");
pub const TRAFFIC_DIRECT: Tr = Tr::new("(직접)", "(direct)");
pub const TRAFFIC_EMPTY: Tr = Tr::new("아직 요청이 없습니다.", "No requests yet.");
pub const TRAFFIC_TRY: Tr = Tr::new(
    "curl 로 서비스에 요청을 보내면 여기에 경로가 보입니다.",
    "Send one with curl to a Service: its path shows here.",
);
/// Ctrl+C with nothing to cancel asks once before it quits.
pub const QUIT_ASK: Tr = Tr::new(
    "Ctrl+C 한 번 더 또는 Ctrl+Q: 종료 — 클러스터는 저장되어 있습니다",
    "Ctrl+C again or Ctrl+Q to quit — your cluster is saved",
);
/// Printed on the normal terminal after the lab quits.
pub const QUIT_SAVED: Tr = Tr::new(
    "k8s-lab을 마쳤습니다. 클러스터와 진행 상황은 저장되었습니다: 다음에 k8s-lab start {lesson} 로 이어서 하세요.",
    "k8s-lab stopped. Your cluster and progress are saved: k8s-lab start {lesson} picks up where you left off.",
);
pub const APPLIED: Tr = Tr::new("저장하고 적용했습니다", "Saved and applied");

// The command line's own messages (`k8s-lab list`, `reset`, `start`): they follow `--lang`
// too.
pub const CLI_RESET: Tr = Tr::new("{id}: 진행 상황을 지웠습니다", "{id}: progress reset");
pub const CLI_RESET_CLUSTER: Tr = Tr::new(
    "{id}: 진행 상황과 저장된 클러스터를 지웠습니다",
    "{id}: progress and cluster reset",
);
pub const CLI_RESTORED: Tr = Tr::new(
    "저장해 둔 클러스터를 되살렸습니다. 노드를 재부팅한 것처럼 파드가 한 번씩 다시 시작되어 RESTARTS가 1 늘었고, 셸 변수(export 한 값)도 그대로입니다.",
    "Your saved cluster is back. As after a node reboot, each pod started once more (RESTARTS went up by 1); your shell variables (what you exported) are back too.",
);
pub const CLI_SNAPSHOT_BROKEN: Tr = Tr::new(
    "저장된 클러스터를 읽을 수 없어 새 클러스터로 시작합니다 ({why}). 그 파일은 {aside} 에 그대로 두었습니다.",
    "The saved cluster could not be read ({why}), so a fresh one started. The file was kept as {aside}.",
);
pub const CLI_PROGRESS_WITHOUT_CLUSTER: Tr = Tr::new(
    "진행 기록에는 {steps}단계를 마쳤다고 되어 있지만, 그 단계들을 한 클러스터는 이제 없습니다 (초기화했거나 예전 저장입니다). `replay`를 입력하면 그 단계들의 풀이를 다시 실행해 클러스터를 되살립니다.",
    "Your progress says steps {steps} are done, but the cluster they were done on is gone (a reset or an old save). Type `replay` to run those steps' solutions again and rebuild it.",
);
pub const CLI_NOTHING_TO_RESET: Tr = Tr::new("{id}: 지울 진행 상황이 없습니다", "{id}: no progress to reset");
pub const CLI_NOT_FOUND: Tr = Tr::new(
    "\"{query}\" 라는 레슨이 없습니다. 들어 있는 레슨: {known}",
    "no lesson called \"{query}\"; the bundled lessons are: {known}",
);
pub const CLI_SETUP: Tr = Tr::new("{id} 준비 중 오류:", "setting up {id}:");
pub const CLI_READ_PROGRESS: Tr = Tr::new("진행 상황을 읽지 못했습니다", "reading progress");
pub const CLI_REMOVING: Tr = Tr::new("{path} 를 지우지 못했습니다", "removing {path}");
pub const CLI_CREATING: Tr = Tr::new("{path} 를 만들지 못했습니다", "creating {path}");
pub const CLI_NO_TTY: Tr = Tr::new(
    "레슨을 고르세요: k8s-lab start <레슨> (예: k8s-lab start lesson1)",
    "name a lesson: k8s-lab start <lesson> (for example k8s-lab start lesson1)",
);
// `k8s-lab lint [--run]`: the words around each lesson's verdict and each step's report. The
// messages inside them come from `lessons::lint_words`.
pub const LINT_OK: Tr = Tr::new("통과: {name}", "ok: {name}");
pub const LINT_WARNING: Tr = Tr::new("  경고: {warning}", "  warning: {warning}");
pub const LINT_ERROR: Tr = Tr::new("오류: {error}", "error: {error}");
pub const LINT_RUN: Tr = Tr::new("실행: {id}", "run: {id}");
pub const LINT_STEP_OK: Tr = Tr::new("  통과: 단계 {step}", "  ok: step {step}");
pub const LINT_STEP_FAIL: Tr = Tr::new("  실패: 단계 {step}: {why}", "  FAIL: step {step}: {why}");
pub const LINT_PASSED_BEFORE: Tr = Tr::new(
    "    경고: 단계 {step}의 검사는 풀이를 실행하기 전부터 통과합니다",
    "    warning: the checks of step {step} pass before its solution runs",
);
pub const LINT_EXITED: Tr = Tr::new(
    "    참고: `{line}`의 종료 코드는 {status}입니다",
    "    note: `{line}` exited with {status}",
);
// The command line itself (`k8s-lab --help`, `k8s-lab start --help`, usage errors). The
// English halves are what clap is given (the derive in `cli.rs` reads them); the Korean
// halves replace them for `--lang ko`.
pub const CLI_ABOUT: Tr = Tr::new(
    "쿠버네티스 서비스를 배우는 터미널 실습실 (클러스터가 함께 들어 있습니다)",
    "A terminal learning lab for Kubernetes Services, with an embedded cluster",
);
pub const CLI_ARG_LESSONS: Tr = Tr::new(
    "레슨 파일이 든 폴더(강사가 만든 것). 들어 있는 레슨보다 먼저 찾습니다",
    "A folder of lesson files (an instructor's), searched before the bundled lessons",
);
pub const CLI_ARG_LANG: Tr = Tr::new(
    "레슨과 화면의 언어: ko 또는 en (기본값: LANG 환경 변수를 따르고, 없으면 ko)",
    "Language of the lesson and the UI: ko or en (default: from LANG, else ko)",
);
pub const CLI_CMD_START: Tr = Tr::new(
    "레슨을 전체 화면 실습실에서 엽니다 (id, 이름, 경로로: lesson5, ./my-lesson.yaml). 레슨을 적지 않으면 목록에서 고릅니다",
    "Open a lesson in the full-screen lab (by id, slug or path: lesson5, ./my-lesson.yaml); with none named, pick one from the list",
);
pub const CLI_ARG_START_LESSON: Tr = Tr::new(
    "열 레슨: id, 이름(slug) 또는 레슨 파일의 경로",
    "The lesson to open: its id, its slug or a lesson file's path",
);
pub const CLI_CMD_SHELL: Tr = Tr::new(
    "TUI 없이 실습실의 명령 줄만 씁니다: 명령을 표준 입력에서 읽습니다",
    "The lab's command line without the TUI: reads commands from stdin",
);
pub const CLI_ARG_SHELL_LESSON: Tr = Tr::new(
    "이 레슨의 클러스터, 파일, 준비 명령으로 시작합니다",
    "Start with this lesson's cluster, files and setup",
);
pub const CLI_CMD_LIST: Tr = Tr::new(
    "레슨 목록과 내 진행 상황을 봅니다",
    "List the lessons and your progress",
);
pub const CLI_CMD_RESET: Tr = Tr::new(
    "레슨을 처음부터 다시 합니다: 진행 상황과 저장된 클러스터를 지웁니다 (내 파일은 그대로 둡니다)",
    "Start a lesson over: forget your progress and its saved cluster (your files stay)",
);
pub const CLI_ARG_RESET_LESSON: Tr = Tr::new(
    "처음부터 다시 할 레슨: id, 이름(slug) 또는 레슨 파일의 경로",
    "The lesson to start over: its id, its slug or a lesson file's path",
);
pub const CLI_CMD_LINT: Tr = Tr::new(
    "레슨 파일을 검사하고 고칠 점을 알려 줍니다",
    "Check lesson files and tell what to fix",
);
pub const CLI_ARG_LINT_PATH: Tr = Tr::new(
    "레슨 파일, 레슨 파일이 든 폴더, 또는 들어 있는 레슨의 id",
    "A lesson file, a folder of them, or a bundled lesson's id",
);
pub const CLI_ARG_LINT_RUN: Tr = Tr::new(
    "새 클러스터에서 모든 단계의 풀이도 실행합니다. 풀이 뒤에 검사를 통과하지 못한 단계가 있으면 실패입니다",
    "Also run every step's solution on a fresh cluster; fail if a step's checks do not pass",
);
pub const CLI_HELP_FLAG: Tr = Tr::new("도움말을 봅니다", "Print help");
pub const CLI_VERSION_FLAG: Tr = Tr::new("버전을 봅니다", "Print version");
pub const CLI_HELP_COMMAND: Tr = Tr::new(
    "이 도움말이나 주어진 명령의 도움말을 봅니다",
    "Print this message or the help of the given subcommand(s)",
);
pub const CLI_VALUE_LESSON: Tr = Tr::new("레슨", "LESSON");
pub const CLI_VALUE_PATH: Tr = Tr::new("경로", "PATH");
pub const CLI_VALUE_FOLDER: Tr = Tr::new("폴더", "LESSONS");
pub const CLI_VALUE_LANG: Tr = Tr::new("언어", "LANG");
pub const CLI_VALUE_COMMAND: Tr = Tr::new("명령", "COMMAND");
pub const CLI_VALUE_OPTIONS: Tr = Tr::new("옵션", "OPTIONS");
pub const CLI_HEADING_USAGE: Tr = Tr::new("사용법", "Usage");
pub const CLI_HEADING_COMMANDS: Tr = Tr::new("명령", "Commands");
pub const CLI_HEADING_ARGUMENTS: Tr = Tr::new("인자", "Arguments");
pub const CLI_HEADING_OPTIONS: Tr = Tr::new("옵션", "Options");
// Usage errors. English ones are clap's own output; the English halves here say what clap
// says, so the two columns can be compared.
pub const CLI_ERROR: Tr = Tr::new("오류:", "error:");
pub const CLI_TIP: Tr = Tr::new("도움말:", "tip:");
pub const CLI_MORE: Tr = Tr::new(
    "자세한 설명은 '{flag}' 로 볼 수 있습니다.",
    "For more information, try '{flag}'.",
);
pub const CLI_ERR_SUBCOMMAND: Tr = Tr::new("'{name}' 라는 명령은 없습니다", "unrecognized subcommand '{name}'");
pub const CLI_ERR_ARGUMENT: Tr = Tr::new(
    "알 수 없는 인자 '{arg}' 가 있습니다",
    "unexpected argument '{arg}' found",
);
pub const CLI_ERR_MISSING: Tr = Tr::new(
    "꼭 있어야 할 인자가 빠졌습니다:",
    "the following required arguments were not provided:",
);
pub const CLI_ERR_EMPTY_VALUE: Tr = Tr::new(
    "'{arg}' 에는 값이 있어야 하는데 없습니다",
    "a value is required for '{arg}' but none was supplied",
);
pub const CLI_ERR_VALUE: Tr = Tr::new(
    "'{arg}' 에 '{value}' 값은 쓸 수 없습니다",
    "invalid value '{value}' for '{arg}'",
);
pub const CLI_ERR_POSSIBLE_VALUES: Tr = Tr::new("쓸 수 있는 값", "possible values");
pub const CLI_ERR_NO_SUBCOMMAND: Tr = Tr::new(
    "'{name}' 다음에 명령이 있어야 하는데 없습니다",
    "'{name}' requires a subcommand but one was not provided",
);
pub const CLI_ERR_SUBCOMMANDS: Tr = Tr::new("명령", "subcommands");
pub const CLI_ERR_TOO_MANY: Tr = Tr::new(
    "'{arg}' 에는 값을 더 줄 수 없는데 '{value}' 가 있습니다",
    "unexpected value '{value}' for '{arg}' found; no more were expected",
);
pub const CLI_ERR_TOO_FEW: Tr = Tr::new(
    "'{arg}' 에는 값이 {min}개 있어야 하는데 {actual}개뿐입니다",
    "{min} values required by '{arg}'; only {actual} provided",
);
pub const CLI_ERR_WRONG_NUMBER: Tr = Tr::new(
    "'{arg}' 에는 값이 {expected}개 있어야 하는데 {actual}개 있습니다",
    "{expected} values required for '{arg}' but {actual} provided",
);
pub const CLI_ERR_CONFLICT: Tr = Tr::new(
    "'{arg}' 는 '{other}' 와 함께 쓸 수 없습니다",
    "the argument '{arg}' cannot be used with '{other}'",
);
pub const CLI_ERR_CONFLICT_MANY: Tr = Tr::new(
    "'{arg}' 는 다음 인자와 함께 쓸 수 없습니다:",
    "the argument '{arg}' cannot be used with:",
);
pub const CLI_ERR_CONFLICT_OTHERS: Tr = Tr::new(
    "'{arg}' 는 함께 준 다른 인자와 같이 쓸 수 없습니다",
    "the argument '{arg}' cannot be used with one or more of the other specified arguments",
);
pub const CLI_ERR_REPEATED: Tr = Tr::new(
    "'{arg}' 는 한 번만 쓸 수 있습니다",
    "the argument '{arg}' cannot be used multiple times",
);
pub const CLI_ERR_NO_EQUALS: Tr = Tr::new(
    "'{arg}' 에 값을 줄 때는 '=' 를 써야 합니다",
    "equal sign is needed when assigning values to '{arg}'",
);
pub const CLI_ERR_UTF8: Tr = Tr::new(
    "명령 줄에 UTF-8 이 아닌 글자가 있습니다",
    "invalid UTF-8 was detected in one or more arguments",
);
pub const CLI_ERR_OTHER: Tr = Tr::new("명령 줄을 읽지 못했습니다", "unknown cause");
pub const CLI_SIMILAR_SUBCOMMAND: Tr = Tr::new(
    "비슷한 명령이 있습니다: {names}",
    "a similar subcommand exists: {names}",
);
pub const CLI_SIMILAR_ARGUMENT: Tr = Tr::new("비슷한 인자가 있습니다: {names}", "a similar argument exists: {names}");
pub const CLI_SIMILAR_VALUE: Tr = Tr::new("비슷한 값이 있습니다: {names}", "a similar value exists: {names}");
pub const CLI_AS_VALUE: Tr = Tr::new(
    "'{arg}' 를 값으로 넘기려면 '{use}' 처럼 쓰세요",
    "to pass '{arg}' as a value, use '{use}'",
);
pub const CLI_UNKNOWN_LANG: Tr = Tr::new(
    "{lang} 라는 언어는 없습니다: ko 또는 en 을 쓰세요 (language: ko or en)",
    "unknown language {lang}: use ko or en (언어는 ko 또는 en)",
);
pub const CLI_SAVING_PROGRESS: Tr = Tr::new("진행 상황을 저장하지 못했습니다", "saving progress");
pub const CLI_SAVING_CLUSTER: Tr = Tr::new("클러스터를 저장하지 못했습니다", "saving the cluster");
pub const CLI_FINDING_BINARY: Tr = Tr::new("k8s-lab 실행 파일을 찾지 못했습니다", "finding the k8s-lab binary");
pub const CLI_RESTARTING: Tr = Tr::new("레슨을 처음부터 다시 열지 못했습니다", "starting the lesson over");
pub const CLI_NO_RUNTIME: Tr = Tr::new("실행 환경을 시작하지 못했습니다", "cannot start the runtime");
pub const CLI_HEADERS_KO: [&str; 4] = ["ID", "이름", "진행", "제목"];
pub const CLI_HEADERS_EN: [&str; 4] = ["ID", "SLUG", "PROGRESS", "TITLE"];
pub const PICKER_TITLE: Tr = Tr::new("레슨 고르기", "Pick a lesson");
pub const PICKER_KEYS: Tr = Tr::new(
    "↑↓: 고르기  Enter: 열기  Esc/q: 나가기",
    "↑↓: choose  Enter: open  Esc/q: leave",
);

/// Fill `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_language_and_fills_placeholders() {
        assert_eq!(TERMINAL.get(Lang::Ko), "터미널");
        assert_eq!(TERMINAL.get(Lang::En), "Terminal");
        let s = fill(
            TOO_SMALL_SIZE.get(Lang::En),
            &[
                ("w", "70".into()),
                ("h", "20".into()),
                ("mw", "80".into()),
                ("mh", "24".into()),
            ],
        );
        assert_eq!(s, "now 70×20, at least 80×24");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(40, Lang::En), "40 s");
        assert_eq!(duration(723, Lang::En), "12 min 3 s");
        assert_eq!(duration(3900, Lang::Ko), "1시간 5분");
    }
}
