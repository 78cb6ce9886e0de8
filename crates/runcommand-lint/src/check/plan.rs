//! The plan of `check`: every command-line path walked into sources with their configuration
//! (the walk's include/exclude), sorted by path so output does not depend on thread timing.

use super::*;

/// A source with what checking it needs.
pub(super) struct Planned {
    pub(super) source: Planned0,
    pub(super) config: Option<Arc<Config>>,
}

pub(super) enum Planned0 {
    Source(Source),
    Stdin,
}

/// How a file is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Document(Format),
    Lines,
}

pub(super) fn syntax_of(path: &str, forced: InputFormat) -> Syntax {
    match forced {
        InputFormat::Yaml => Syntax::Document(Format::Yaml),
        InputFormat::Json => Syntax::Document(Format::Json),
        InputFormat::Jsonl => Syntax::Lines,
        InputFormat::Auto if records::is_json_lines_path(path) => Syntax::Lines,
        InputFormat::Auto => Syntax::Document(Format::from_path(path)),
    }
}

/// Collects the sources of every command-line path with their configuration, sorted by path.
/// `sizes`: look up the size of every walked file (for the progress bar).
pub(super) fn plan(
    args: &CheckArgs,
    configs: &Mutex<Configs>,
    sizes: bool,
) -> Result<Vec<Planned>, ConfigError> {
    // A file's configuration is its directory's (`Configs::for_file`): the absolute path is
    // made only when there is one.
    let for_file = |p: &Path| -> Result<Option<Arc<Config>>, ConfigError> {
        match configs.lock() {
            Ok(mut c) => c.for_file(p),
            Err(_) => Ok(None),
        }
    };
    let keep = |p: &Path, seen: Seen| -> Result<bool, ConfigError> {
        let config = match seen {
            Seen::File => for_file(p)?,
            Seen::Named | Seen::Dir => match configs.lock() {
                Ok(mut c) => c.for_path(&absolute(p))?,
                Err(_) => None,
            },
        };
        let Some(config) = config else {
            return Ok(true);
        };
        let abs = absolute(p);
        let skip = match seen {
            Seen::Named => args.force_exclude && config.excludes(&abs),
            Seen::Dir => config.excludes(&abs),
            Seen::File => config.excludes(&abs) || !config.includes(&abs),
        };
        if skip && args.verbose {
            eprintln!(
                "runcommand-lint: skipped {}: excluded by {}",
                p.display(),
                config.path.display()
            );
        }
        Ok(!skip)
    };
    let options = WalkOptions {
        no_ignore: args.no_ignore,
        sizes,
    };
    let mut planned = Vec::new();
    let with_config = |source: Planned0, path: &str| -> Result<Planned, ConfigError> {
        let config = for_file(Path::new(path))?;
        Ok(Planned { config, source })
    };
    for path in &args.paths {
        if path == "-" {
            let name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
            planned.push(with_config(Planned0::Stdin, name)?);
            continue;
        }
        for source in walk::collect(path, options, &keep)? {
            let p = source.path().to_owned();
            planned.push(with_config(Planned0::Source(source), &p)?);
        }
    }
    // One order for the whole run, whatever the order of the arguments: output and "first" in
    // the cross-request checks follow the paths.
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    let key = |p: &Planned| match &p.source {
        Planned0::Stdin => stdin_name.to_owned(),
        Planned0::Source(s) => s.path().to_owned(),
    };
    planned.sort_by_cached_key(key);
    Ok(planned)
}
