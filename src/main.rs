//! The `k8s-lab` binary: parse the command line, hand over to [`k8s_lab::app`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "k8s-lab",
    version,
    about = "A terminal learning lab for Kubernetes Services, with an embedded cluster"
)]
struct Cli {
    /// A folder of lesson files (an instructor's), searched before the bundled lessons.
    #[arg(long, global = true)]
    lessons: Option<PathBuf>,
    /// Language of the lesson and the UI: ko or en (default: from LANG, else ko).
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open a lesson in the full-screen lab (by id, slug or path: lesson5, ./my-lesson.yaml);
    /// with none named, pick one from the list.
    Start { lesson: Option<String> },
    /// The lab's command line without the TUI: reads commands from stdin.
    Shell {
        /// Start with this lesson's cluster, files and setup.
        #[arg(long)]
        lesson: Option<String>,
    },
    /// List the lessons and your progress.
    List,
    /// Start a lesson over: forget your progress and its saved cluster (your files stay).
    Reset { lesson: String },
    /// Check lesson files and tell what to fix.
    Lint {
        path: PathBuf,
        /// Also run every step's solution on a fresh cluster; fail if a step's checks do not pass.
        #[arg(long)]
        run: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match k8s_lab::app::pick_lang(cli.lang.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("k8s-lab: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let what = match lang {
                k8s_lab::lessons::Lang::Ko => "실행 환경을 시작하지 못했습니다",
                k8s_lab::lessons::Lang::En => "cannot start the runtime",
            };
            eprintln!("k8s-lab: {what}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = cli.lessons.as_ref();
    let result: anyhow::Result<i32> = rt.block_on(async {
        match &cli.command {
            Command::Start { lesson } => k8s_lab::app::start(lesson.as_deref(), dir, lang).await.map(|()| 0),
            Command::Shell { lesson } => k8s_lab::app::shell(lesson.as_deref(), dir, lang).await,
            Command::List => k8s_lab::app::list(dir, lang).map(|t| {
                print!("{t}");
                0
            }),
            Command::Reset { lesson } => k8s_lab::app::reset(lesson, dir, lang).map(|m| {
                println!("{m}");
                0
            }),
            Command::Lint { path, run } => k8s_lab::app::lint(path, *run, lang).await,
        }
    });
    // Pods, proxies and listeners are tasks of this runtime: do not wait for them.
    rt.shutdown_background();
    match result {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("k8s-lab: {e:#}");
            ExitCode::FAILURE
        }
    }
}
