//! Korean for the English messages a lesson file can get: the project's own (format, path,
//! placeholder and `lint` messages), serde's and the YAML parser's.
//!
//! Those messages are made in English all over the loader, and several come from libraries
//! that know no other language, so they are not written twice at the source. Instead, as
//! gettext does with its msgids, the English text is the key: [`WORDS`] pairs each English
//! message shape with its Korean, and [`translate`] looks a finished message up there. A `{}`
//! in a shape stands for text copied as it is (a name, a value, a number); `{msg}` stands for a
//! message of its own, looked up again (`step {}: {msg}`, `selector {}: {msg}`). The Korean
//! side names the slots `{1}`, `{2}`, … in the order the English has them. A message that
//! starts with a YAML path or a lesson id (`steps[0].checks[1]: …`, `my-lesson: …`) keeps that
//! and has the rest translated. Text that matches nothing stays English, so a message nobody
//! has translated yet is still said, just not in Korean (the tests catch that).

use super::Lang;

/// (English shape, Korean). The first shape that matches the whole message wins, so a more
/// specific shape comes before a more general one (`expected `{}` or `{}`` before
/// `expected `{}``).
pub const WORDS: &[(&str, &str)] = &[
    // --- Prefixes: where in the lesson a message is about.
    ("step {}: {msg}", "단계 {1}: {2}"),
    ("selector {}: {msg}", "셀렉터 {1}: {2}"),
    ("flags: {} for kubectl {}: {msg}", "flags: kubectl {2}의 {1}: {3}"),
    ("files: cannot read the folder {}: {msg}", "files: 폴더 {1}을(를) 읽을 수 없습니다: {2}"),
    ("urls: cannot read {}: {msg}", "urls: {1}을(를) 읽을 수 없습니다: {2}"),
    ("urls: {} is not an http:// or https:// URL", "urls: {1}은(는) http:// 나 https:// 주소가 아닙니다"),
    ("urls: {} is not UTF-8 text", "urls: {1}은(는) UTF-8 텍스트가 아닙니다"),
    // --- The lesson as a whole (src/lessons/mod.rs).
    ("the file is bigger than {} bytes", "파일이 {1}바이트보다 큽니다"),
    ("leads outside the lesson folder", "레슨 폴더 밖으로 이어집니다"),
    ("{} leads outside the lesson folder", "{1}은(는) 레슨 폴더 밖으로 이어집니다"),
    ("more than {} files", "파일이 {1}개보다 많습니다"),
    ("the files add up to more than {} bytes", "파일을 모두 합하면 {1}바이트가 넘습니다"),
    (
        "the file is {} bytes; a lesson file may have at most {}",
        "파일이 {1}바이트입니다. 레슨 파일은 {2}바이트까지만 될 수 있습니다",
    ),
    ("a lesson needs at least one step", "레슨에는 단계가 하나 이상 있어야 합니다"),
    (
        "step id {} is used twice; step ids must be unique",
        "단계 id {1}이(가) 두 번 쓰였습니다. 단계 id는 서로 달라야 합니다",
    ),
    ("step {} has no title", "단계 {1}에 제목(title)이 없습니다"),
    ("the lesson has no title", "레슨에 제목(title)이 없습니다"),
    ("not bundled", "프로그램에 들어 있지 않습니다"),
    ("no such bundled folder", "프로그램에 그런 폴더가 들어 있지 않습니다"),
    ("not a folder", "폴더가 아닙니다"),
    ("leads outside the lesson folder", "레슨 폴더 밖을 가리킵니다"),
    ("{} leads outside the lesson folder", "{1}은(는) 레슨 폴더 밖을 가리킵니다"),
    (
        "no lesson called {}; the bundled lessons are: {}",
        "{1}(이)라는 레슨이 없습니다. 들어 있는 레슨: {2}",
    ),
    ("the lab cluster did not start: {msg}", "실습 클러스터가 시작되지 않았습니다: {1}"),
    (
        "lesson setup command {} failed with exit status {}",
        "레슨 준비 명령 {1}이(가) 종료 코드 {2}(으)로 실패했습니다",
    ),
    // `lint`'s warnings and refusals.
    ("has no checks, so it is done as soon as it is opened", "검사(checks)가 없어서 열자마자 완료됩니다"),
    ("has no solution", "풀이(solution)가 없습니다"),
    ("{} has no {} text", "{1}에 {2} 글이 없습니다"),
    (
        "command_ran {} would show the learner a regex when it fails; use {msg}",
        "command_ran {1}은(는) 실패할 때 학습자에게 정규식을 보여 줍니다. 대신 쓸 것: {2}",
    ),
    (
        "a `traffic` check on the request the lab served, e.g. `traffic: {from: host, service: my-app, via: node_port, status: 200}`",
        "실습실이 받은 요청을 보는 `traffic` 검사 (예: `traffic: {from: host, service: my-app, via: node_port, status: 200}`)",
    ),
    (
        "a `kubectl` check on the command as kubectl reads it, e.g. `kubectl: {verb: get, kind: Service, name: frontend, flags: [--watch]}`",
        "kubectl이 읽은 그대로의 명령을 보는 `kubectl` 검사 (예: `kubectl: {verb: get, kind: Service, name: frontend, flags: [--watch]}`)",
    ),
    (
        "a check on the outcome: `object_exists`, `field_equals`, `traffic` or `kubectl`",
        "결과를 보는 검사: `object_exists`, `field_equals`, `traffic`, `kubectl` 중 하나",
    ),
    // --- Values checked while decoding (src/lessons/format.rs).
    (
        "format_version {} is not supported: this k8s-lab reads format_version {}",
        "format_version {1}은(는) 읽을 수 없습니다: 이 k8s-lab은 format_version {2}을(를) 읽습니다",
    ),
    (
        "invalid id {}: use lower-case letters, digits, '-' and '_'",
        "id {1}은(는) 쓸 수 없습니다: 영어 소문자, 숫자, '-', '_'만 쓰세요",
    ),
    (
        "path {} must be relative to the lesson folder",
        "경로 {1}은(는) 레슨 폴더 안의 상대 경로여야 합니다",
    ),
    (
        "path {} leaves the lesson folder ('..' is not allowed)",
        "경로 {1}이(가) 레슨 폴더 밖으로 나갑니다 ('..'는 쓸 수 없습니다)",
    ),
    ("path {} names no file", "경로 {1}에 파일 이름이 없습니다"),
    ("{} is not an IPv4 address", "{1}은(는) IPv4 주소가 아닙니다"),
    (
        "load balancer address {} is not a loopback address (127.0.0.0/8): the lab only listens on loopback",
        "로드 밸런서 주소 {1}은(는) 루프백 주소(127.0.0.0/8)가 아닙니다: 실습실은 루프백 주소에서만 연결을 받습니다",
    ),
    (
        "range {} is empty or too large (at most 4096 addresses)",
        "범위 {1}이(가) 비었거나 너무 큽니다 (주소는 4096개까지)",
    ),
    ("nodes must be between 1 and 10, not {}", "노드 수(nodes)는 1에서 10 사이여야 합니다. {1}은(는) 안 됩니다"),
    (
        "max_pods must be between 1 and 1000, not {}",
        "노드당 파드 수(max_pods)는 1에서 1000 사이여야 합니다. {1}은(는) 안 됩니다",
    ),
    (
        "must be a number above 0 and at most 1000, not {}",
        "0보다 크고 1000 이하인 수여야 합니다. {1}은(는) 안 됩니다",
    ),
    (
        "must be between 0 and 3600 seconds, not {}",
        "0초에서 3600초 사이여야 합니다. {1}은(는) 안 됩니다",
    ),
    ("verb: name at least one kubectl verb", "verb: kubectl 동사를 하나 이상 적으세요"),
    (
        "kubectl has no verb {} (e.g. get, describe, apply, delete)",
        "kubectl에는 {1} 동사가 없습니다 (예: get, describe, apply, delete)",
    ),
    ("kubectl has no verb {}", "kubectl에는 {1} 동사가 없습니다"),
    (
        "a kubectl check with a name needs its kind too",
        "이름(name)을 적은 kubectl 검사에는 종류(kind)도 적어야 합니다",
    ),
    (
        "invalid from {}: use any, host, pod, pod:<name-prefix>, node or node:<name>",
        "from {1}은(는) 쓸 수 없습니다: any, host, pod, pod:<이름 앞부분>, node, node:<이름> 중 하나를 쓰세요",
    ),
    (
        "invalid from {}: use host, node, node:<name> or pod:<name-prefix>",
        "from {1}은(는) 쓸 수 없습니다: host, node, node:<이름>, pod:<이름 앞부분> 중 하나를 쓰세요",
    ),
    (
        "unknown kind {}: use a resource type kubectl knows, e.g. Service, Deployment, Pod",
        "알 수 없는 종류 {1}: kubectl이 아는 리소스 종류를 쓰세요 (예: Service, Deployment, Pod)",
    ),
    ("invalid pattern: {}", "정규식이 잘못되었습니다: {1}"),
    (
        "invalid jsonpath {}: start it with '.', e.g. {.spec.type}",
        "jsonpath {1}이(가) 잘못되었습니다: '.'로 시작하세요 (예: {.spec.type})",
    ),
    ("invalid jsonpath {}: {msg}", "jsonpath {1}이(가) 잘못되었습니다: {2}"),
    ("at position {}, {msg}", "{1}번째 글자: {2}"),
    ("parser error", "읽을 수 없는 식입니다"),
    ("a string, number or boolean", "문자열, 숫자 또는 참/거짓 값"),
    // --- Placeholders (src/lessons/placeholders.rs).
    (
        "placeholder {{{}}} needs three parts: {{SOURCE:NAME:FIELD}}",
        "플레이스홀더 {{{1}}}은(는) 세 부분으로 되어 있어야 합니다: {{SOURCE:NAME:FIELD}} (종류:이름:필드)",
    ),
    (
        "placeholder {{{}}}: unknown source {} (use a resource type: svc, pod, node, …)",
        "플레이스홀더 {{{1}}}: 알 수 없는 종류 {2} (리소스 종류를 쓰세요: svc, pod, node, …)",
    ),
    ("placeholder {{{}}} names no object", "플레이스홀더 {{{1}}}에 오브젝트 이름이 없습니다"),
    (
        "placeholder {{{}}}: unknown field {} for {}; use one of {} or a JSONPath such as .metadata.name",
        "플레이스홀더 {{{1}}}: {3}에는 {2} 필드가 없습니다. {4} 중 하나나 .metadata.name 같은 JSONPath를 쓰세요",
    ),
    ("placeholder {{{}}}: {msg}", "플레이스홀더 {{{1}}}: {2}"),
    // --- kubectl's flag and selector parsing, as a check's `flags` and `selector` meet it.
    ("unknown flag: {}", "알 수 없는 플래그: {1}"),
    ("unknown shorthand flag: {} in {}", "알 수 없는 짧은 플래그: {2}의 {1}"),
    ("flag needs an argument: {} in {}", "플래그에 값이 필요합니다: {2}의 {1}"),
    ("flag needs an argument: {}", "플래그에 값이 필요합니다: {1}"),
    ("{} is not one flag", "{1}은(는) 플래그 하나가 아닙니다"),
    (
        "unable to parse requirement: found {}, expected: {}",
        "셀렉터 조건을 읽을 수 없습니다 (와야 할 것: {2}, 실제: {1})",
    ),
    // --- Files (std::io), as `urls:` and `files:` meet them.
    ("No such file or directory (os error {})", "그런 파일이나 폴더가 없습니다 (os error {1})"),
    ("Permission denied (os error {})", "권한이 없습니다 (os error {1})"),
    ("Is a directory (os error {})", "파일이 아니라 폴더입니다 (os error {1})"),
    ("Not a directory (os error {})", "폴더가 아닙니다 (os error {1})"),
    ("stream did not contain valid UTF-8", "UTF-8 텍스트가 아닙니다"),
    // --- serde: what a field or value should have been.
    (
        "unknown field `{}`, expected `{}` or `{}`",
        "알 수 없는 키 `{1}`: `{2}`, `{3}`만 쓸 수 있습니다",
    ),
    ("unknown field `{}`, expected `{}`", "알 수 없는 키 `{1}`: `{2}`만 쓸 수 있습니다"),
    (
        "unknown field `{}`, expected one of {}",
        "알 수 없는 키 `{1}`: 쓸 수 있는 키는 {2}입니다",
    ),
    ("unknown field `{}`, there are no fields", "알 수 없는 키 `{1}`: 여기에는 키를 쓸 수 없습니다"),
    (
        "unknown variant `{}`, expected `{}` or `{}`",
        "알 수 없는 값 `{1}`: `{2}`, `{3}` 중 하나를 쓰세요",
    ),
    ("unknown variant `{}`, expected `{}`", "알 수 없는 값 `{1}`: `{2}`만 쓸 수 있습니다"),
    ("unknown variant `{}`, expected one of {}", "알 수 없는 값 `{1}`: {2} 중 하나를 쓰세요"),
    ("unknown variant `{}`, there are no variants", "알 수 없는 값 `{1}`: 여기에는 값을 쓸 수 없습니다"),
    ("missing field `{}`", "`{1}` 키가 없습니다 (꼭 있어야 합니다)"),
    ("duplicate field `{}`", "`{1}` 키가 두 번 나옵니다"),
    (
        "invalid type: {msg}, expected {msg}",
        "형식이 맞지 않습니다 (와야 할 것: {2}, 실제: {1})",
    ),
    (
        "invalid value: {msg}, expected {msg}",
        "값이 맞지 않습니다 (와야 할 것: {2}, 실제: {1})",
    ),
    ("invalid length {}, expected {msg}", "길이가 맞지 않습니다 (와야 할 것: {2}, 실제: {1}개)"),
    (
        "data did not match any variant of untagged enum {}",
        "쓸 수 있는 어떤 모양과도 맞지 않는 값입니다 ({1})",
    ),
    // What serde found (`invalid type: string "x", …`).
    ("string {}", "문자열 {1}"),
    ("integer {}", "정수 {1}"),
    ("floating point {}", "실수 {1}"),
    ("boolean {}", "참/거짓 값 {1}"),
    ("character {}", "문자 {1}"),
    ("sequence", "목록"),
    ("map", "맵"),
    ("unit value", "빈 값"),
    ("Option value", "선택 값"),
    ("newtype struct", "감싼 값"),
    ("enum", "열거 값"),
    ("unit variant", "이름만 있는 값"),
    ("newtype variant", "값 하나를 가진 종류"),
    ("tuple variant", "여러 값을 가진 종류"),
    ("struct variant", "키를 가진 종류"),
    ("byte array", "바이트 배열"),
    // What serde wanted (`…, expected struct Step`).
    ("struct {}", "맵({1})"),
    ("tuple struct {}", "목록({1})"),
    ("enum {}", "정해진 값({1})"),
    ("a string", "문자열"),
    ("a borrowed string", "문자열"),
    ("a character", "문자 하나"),
    ("a sequence", "목록"),
    ("a map", "맵"),
    ("map with a single key", "키가 하나뿐인 맵"),
    ("a boolean", "참/거짓 값(true 또는 false)"),
    ("an integer", "정수"),
    ("a float", "실수"),
    ("null", "빈 값(null)"),
    ("unit", "빈 값"),
    ("option", "값 또는 빈 값"),
    ("field identifier", "키 이름"),
    ("variant identifier", "종류 이름"),
    ("a YAML tag starting with '!'", "'!'로 시작하는 YAML 태그"),
    ("u8", "0~255 사이의 정수"),
    ("u16", "0~65535 사이의 정수"),
    ("u32", "0~4294967295 사이의 정수"),
    ("u64", "0 이상의 정수"),
    ("usize", "0 이상의 정수"),
    ("i8", "정수"),
    ("i16", "정수"),
    ("i32", "정수"),
    ("i64", "정수"),
    ("isize", "정수"),
    ("f32", "숫자"),
    ("f64", "숫자"),
    ("bool", "참/거짓 값(true 또는 false)"),
    // --- serde_yaml_ng's own messages.
    ("EOF while parsing a value", "값을 읽는 중에 파일이 끝났습니다"),
    (
        "deserializing from YAML containing more than one document is not supported",
        "YAML 문서가 여러 개입니다: 레슨 파일에는 문서가 하나만 있어야 합니다",
    ),
    ("recursion limit exceeded", "너무 깊이 중첩되어 있습니다"),
    ("repetition limit exceeded", "별칭(*)이 너무 많이 펼쳐집니다"),
    ("unknown anchor", "없는 앵커(&)를 가리키는 별칭(*)입니다"),
    ("empty YAML tag is not allowed", "빈 YAML 태그는 쓸 수 없습니다"),
    ("failed to parse YAML number", "YAML 숫자를 읽을 수 없습니다"),
    (
        "expected a mapping or list of mappings for merging, but found scalar",
        "병합(<<)에는 맵이나 맵의 목록이 와야 하는데 단일 값이 있습니다",
    ),
    ("expected a mapping for merging, but found scalar", "병합(<<)에는 맵이 와야 하는데 단일 값이 있습니다"),
    ("expected a mapping for merging, but found sequence", "병합(<<)에는 맵이 와야 하는데 목록이 있습니다"),
    ("unexpected tagged value in merge", "병합(<<)에 태그가 붙은 값은 쓸 수 없습니다"),
    // --- The YAML parser (libyaml): `PROBLEM at line L column C, CONTEXT`, or PROBLEM alone.
    ("{msg} at line {} column {}, {msg}", "{1} ({2}행 {3}열, {4})"),
    ("{msg} at position {}, {msg}", "{1} ({2}번째 바이트, {3})"),
    ("while scanning a directive", "지시문을 읽는 중"),
    ("while scanning a block scalar", "블록 문자열을 읽는 중"),
    ("while parsing a tag", "태그를 읽는 중"),
    ("while parsing a %TAG directive", "%TAG 지시문을 읽는 중"),
    ("while scanning a tag", "태그를 읽는 중"),
    ("while scanning a %YAML directive", "%YAML 지시문을 읽는 중"),
    ("while parsing a quoted scalar", "따옴표 문자열을 읽는 중"),
    ("while scanning a simple key", "키를 읽는 중"),
    ("while scanning a quoted scalar", "따옴표 문자열을 읽는 중"),
    ("while scanning a plain scalar", "값을 읽는 중"),
    ("while scanning a %TAG directive", "%TAG 지시문을 읽는 중"),
    ("while scanning for the next token", "다음 토큰을 찾는 중"),
    ("while scanning an anchor", "앵커(&)를 읽는 중"),
    ("while scanning an alias", "별칭(*)을 읽는 중"),
    ("while scanning a tag directive", "태그 지시문을 읽는 중"),
    ("while parsing a tag directive", "태그 지시문을 읽는 중"),
    ("while parsing a node", "값을 읽는 중"),
    ("while parsing a flow sequence", "[ ] 목록을 읽는 중"),
    ("while parsing a flow node", "{ } 또는 [ ] 안의 값을 읽는 중"),
    ("while parsing a flow mapping", "{ } 맵을 읽는 중"),
    ("while parsing a block node", "값을 읽는 중"),
    ("while parsing a block mapping", "들여쓴 맵을 읽는 중"),
    ("while parsing a block collection", "들여쓴 목록이나 맵을 읽는 중"),
    ("found an indentation indicator equal to 0", "들여쓰기 표시가 0입니다"),
    ("did not find expected whitespace or line break", "공백이나 줄바꿈이 와야 합니다"),
    ("did not find expected comment or line break", "주석이나 줄바꿈이 와야 합니다"),
    ("did not find expected '!'", "'!'가 와야 합니다"),
    ("could not find expected ':'", "':'가 와야 합니다"),
    ("mapping values are not allowed in this context", "이 자리에는 '키: 값'을 쓸 수 없습니다"),
    ("mapping keys are not allowed in this context", "이 자리에는 키를 쓸 수 없습니다"),
    ("block sequence entries are not allowed in this context", "이 자리에는 '- ' 목록 항목을 쓸 수 없습니다"),
    ("unexpected low surrogate area", "UTF-16 하위 대리 문자가 잘못된 자리에 있습니다"),
    ("expected low surrogate area", "UTF-16 하위 대리 문자가 와야 합니다"),
    ("invalid trailing UTF-8 octet", "UTF-8 뒷바이트가 잘못되었습니다"),
    ("invalid length of a UTF-8 sequence", "UTF-8 글자의 길이가 잘못되었습니다"),
    ("invalid leading UTF-8 octet", "UTF-8 첫 바이트가 잘못되었습니다"),
    ("invalid Unicode character", "쓸 수 없는 유니코드 문자입니다"),
    ("input is too long", "입력이 너무 깁니다"),
    ("input error", "입력 오류"),
    ("incomplete UTF-8 octet sequence", "UTF-8 글자가 중간에 끊겼습니다"),
    ("incomplete UTF-16 surrogate pair", "UTF-16 대리 쌍이 중간에 끊겼습니다"),
    ("incomplete UTF-16 character", "UTF-16 글자가 중간에 끊겼습니다"),
    ("found unknown escape character", "알 수 없는 이스케이프 문자(\\)가 있습니다"),
    ("found unknown directive name", "알 수 없는 지시문 이름이 있습니다"),
    ("found unexpected non-alphabetical character", "영문자가 와야 할 자리에 다른 문자가 있습니다"),
    ("found unexpected end of stream", "파일이 예상보다 일찍 끝났습니다"),
    ("found unexpected document indicator", "문서 구분자(--- 또는 ...)가 잘못된 자리에 있습니다"),
    ("found unexpected ':'", "':'가 잘못된 자리에 있습니다"),
    ("found undefined tag handle", "정의되지 않은 태그 핸들이 있습니다"),
    ("found undefined alias", "정의되지 않은 별칭(*)이 있습니다"),
    ("found invalid Unicode character escape code", "유니코드 이스케이프 코드가 잘못되었습니다"),
    ("found incompatible YAML document", "이 YAML 버전은 읽을 수 없습니다"),
    ("found extremely long version number", "버전 번호가 너무 깁니다"),
    ("found duplicate anchor; first occurrence", "같은 앵커(&)가 두 번 있습니다. 처음 나온 곳"),
    ("second occurrence", "두 번째로 나온 곳"),
    ("found duplicate %YAML directive", "%YAML 지시문이 두 번 있습니다"),
    ("found duplicate %TAG directive", "%TAG 지시문이 두 번 있습니다"),
    ("found character that cannot start any token", "여기에 올 수 없는 문자가 있습니다 (들여쓰기에 탭을 썼나요?)"),
    ("found an incorrect trailing UTF-8 octet", "UTF-8 뒷바이트가 잘못되었습니다"),
    ("found an incorrect leading UTF-8 octet", "UTF-8 첫 바이트가 잘못되었습니다"),
    (
        "found a tab character where an indentation space is expected",
        "들여쓰기에는 탭이 아니라 공백을 써야 합니다",
    ),
    ("found a tab character that violates indentation", "탭 문자가 들여쓰기를 어긋나게 합니다"),
    ("did not find the expected '>'", "'>'가 와야 합니다"),
    ("did not find expected whitespace", "공백이 와야 합니다"),
    ("did not find expected version number", "버전 번호가 와야 합니다"),
    ("did not find expected tag URI", "태그 URI가 와야 합니다"),
    ("did not find expected node content", "값이 와야 할 자리에 값이 없습니다"),
    ("did not find expected key", "키가 와야 할 자리에 키가 없습니다 (들여쓰기를 확인하세요)"),
    ("did not find expected hexadecimal number", "16진수가 와야 합니다"),
    ("did not find expected digit or '.' character", "숫자나 '.'가 와야 합니다"),
    ("did not find expected alphabetic or numeric character", "영문자나 숫자가 와야 합니다"),
    ("did not find expected <stream-start>", "파일의 시작을 찾지 못했습니다"),
    ("did not find expected <document start>", "문서의 시작(---)을 찾지 못했습니다"),
    ("did not find expected '-' indicator", "'-' 목록 표시가 와야 합니다"),
    ("did not find expected ',' or '}'", "','나 '}'가 와야 합니다"),
    ("did not find expected ',' or ']'", "','나 ']'가 와야 합니다"),
    ("did not find URI escaped octet", "URI 이스케이프(%) 바이트가 없습니다"),
    ("could not find expected directive name", "지시문 이름이 와야 합니다"),
    ("control characters are not allowed", "제어 문자는 쓸 수 없습니다"),
];

/// `en` in `lang`: English as it is; Korean from [`WORDS`], or `en` itself where no shape
/// matches.
pub fn translate(en: &str, lang: Lang) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Ko => korean(en, 0).unwrap_or_else(|| en.to_string()),
    }
}

/// True when [`translate`] has a Korean form for `en` (the whole message, or a known frame
/// around parts it copies as they are).
pub fn has_korean(en: &str) -> bool {
    korean(en, 0).is_some()
}

/// A piece of an English shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    /// `{}`: copied as it is.
    Slot,
    /// `{msg}`: a message of its own, translated again.
    Message,
}

/// Split an English shape into text, `{}` and `{msg}`.
fn pieces(shape: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = shape;
    loop {
        let slot = rest.find("{}").map(|i| (i, 2, Piece::Slot));
        let msg = rest.find("{msg}").map(|i| (i, 5, Piece::Message));
        let next = match (slot, msg) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        let Some((i, len, piece)) = next else { break };
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        out.push(piece);
        rest = &rest[i + len..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Match `text` against the pieces; each slot takes the shortest non-empty text that lets the
/// rest match. The slots' texts go to `out`.
fn matches<'t>(pieces: &[Piece<'_>], text: &'t str, out: &mut Vec<&'t str>) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Text(t), rest)) => text.strip_prefix(t).is_some_and(|after| matches(rest, after, out)),
        Some((_, rest)) => match rest.first() {
            None => {
                if text.is_empty() {
                    return false;
                }
                out.push(text);
                true
            }
            Some(Piece::Text(next)) => {
                // Every place `next` starts after at least one character, nearest first.
                let mut from = text.chars().next().map_or(text.len(), char::len_utf8);
                while let Some(i) = text.get(from..).and_then(|t| t.find(next)) {
                    let at = from + i;
                    out.push(&text[..at]);
                    if matches(rest, &text[at..], out) {
                        return true;
                    }
                    out.pop();
                    from = at + text[at..].chars().next().map_or(1, char::len_utf8);
                }
                false
            }
            // Two slots in a row have no border between them; no shape is written so.
            Some(_) => false,
        },
    }
}

/// `{1}`, `{2}`, … of `template` filled with `values`.
fn fill(template: &str, values: &[String]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let n = after[..digits].parse::<usize>().ok();
        match n.filter(|_| after[digits..].starts_with('}')) {
            Some(n) if (1..=values.len()).contains(&n) => {
                out.push_str(&values[n - 1]);
                rest = &after[digits + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A YAML path or a lesson id in front of a message (`steps[0].checks[1]: …`,
/// `lesson5: …`): that head and the message after `: `.
fn path_prefix(text: &str) -> Option<(&str, &str)> {
    let (head, rest) = text.split_once(": ")?;
    let path_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']');
    let ok = head.starts_with(|c: char| c.is_ascii_alphanumeric()) && head.chars().all(path_char);
    (ok && !rest.is_empty()).then_some((head, rest))
}

/// How deep messages may nest (`step a: checks[0]: selector "x": …`): enough for any the
/// lab makes, and a stop for text that only looks nested.
const MAX_DEPTH: usize = 12;

/// The Korean for `text`, if a shape (or a path in front of one) matches it.
fn korean(text: &str, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH || text.is_empty() {
        return None;
    }
    // Shapes that begin with their own words come first; then a path in front; then the
    // shapes that begin with a slot (they would take the path in as part of the slot).
    let starts_with_text = |en: &&str| !en.starts_with("{}") && !en.starts_with("{msg}");
    let by_shape = |first: bool| {
        WORDS
            .iter()
            .filter(move |(en, _)| starts_with_text(en) == first)
            .find_map(|(en, ko)| {
                let shape = pieces(en);
                let mut found = Vec::new();
                if !matches(&shape, text, &mut found) {
                    return None;
                }
                let slots = shape.iter().filter(|p| !matches!(p, Piece::Text(_)));
                let values = slots
                    .zip(found)
                    .map(|(p, v)| match p {
                        Piece::Message => korean(v, depth + 1).unwrap_or_else(|| v.to_string()),
                        _ => v.to_string(),
                    })
                    .collect::<Vec<_>>();
                Some(fill(ko, &values))
            })
    };
    by_shape(true)
        .or_else(|| {
            let (head, rest) = path_prefix(text)?;
            korean(rest, depth + 1).map(|k| format!("{head}: {k}"))
        })
        .or_else(|| by_shape(false))
}
