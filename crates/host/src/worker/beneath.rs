//! A directory the file tools cannot leave, whatever a path or a symlink says: every path
//! is resolved by the kernel beneath the root (`openat2` with `RESOLVE_BENEATH` and
//! `RESOLVE_NO_MAGICLINKS`), so `..`, absolute symlinks, symlinks out of the tree and
//! `/proc` magic links all fail with `EXDEV`/`ELOOP` instead of escaping. Walks never
//! follow symlinks.

use rustix::fs::{Mode, OFlags, ResolveFlags};
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

/// A root directory, and the absolute path the sandboxed shell sees it at.
pub struct Beneath {
    root: OwnedFd,
    shown_as: String,
    /// Who new files and directories belong to (the sandbox's user), if not us.
    owner: Option<(u32, u32)>,
}

const RESOLVE: ResolveFlags = ResolveFlags::BENEATH.union(ResolveFlags::NO_MAGICLINKS);

impl Beneath {
    /// Opens `dir` as the root; the shell sees it at `shown_as` (e.g. `/workspace`).
    pub fn open(dir: &Path, shown_as: &str, owner: Option<(u32, u32)>) -> std::io::Result<Self> {
        let root = rustix::fs::open(
            dir,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(Beneath {
            root,
            shown_as: shown_as.trim_end_matches('/').to_string(),
            owner,
        })
    }

    /// Whether an agent's absolute `path` names this root or something under it.
    pub fn contains(&self, path: &str) -> bool {
        path.strip_prefix(&self.shown_as)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The path the shell sees for `relative`.
    pub fn shown(&self, relative: &Path) -> String {
        if relative.as_os_str().is_empty() || relative == Path::new(".") {
            return self.shown_as.clone();
        }
        format!("{}/{}", self.shown_as, relative.display())
    }

    /// An agent's path (relative to the workdir, or absolute under where the shell sees
    /// it) as a path relative to the root. Lexically `..` may not climb above the root;
    /// what the kernel resolves is checked again at every open.
    pub fn relative(&self, path: &str) -> Result<PathBuf, String> {
        let path = path.trim();
        let inner = if let Some(rest) = path.strip_prefix(&self.shown_as) {
            match rest.strip_prefix('/') {
                Some(rest) => rest,
                None if rest.is_empty() => "",
                None => return Err(self.outside(path)),
            }
        } else if path.starts_with('/') {
            return Err(self.outside(path));
        } else {
            path
        };
        let mut out = PathBuf::new();
        for component in Path::new(inner).components() {
            match component {
                Component::Normal(part) => out.push(part),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !out.pop() {
                        return Err(self.outside(path));
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err(self.outside(path)),
            }
        }
        Ok(out)
    }

    fn outside(&self, path: &str) -> String {
        format!("{path} is outside the workdir {}", self.shown_as)
    }

    fn at(relative: &Path) -> &Path {
        if relative.as_os_str().is_empty() {
            Path::new(".")
        } else {
            relative
        }
    }

    /// Opens `relative` beneath the root.
    pub fn open_at(&self, relative: &Path, flags: OFlags, mode: Mode) -> std::io::Result<OwnedFd> {
        Ok(rustix::fs::openat2(
            &self.root,
            Self::at(relative),
            flags | OFlags::CLOEXEC,
            mode,
            RESOLVE,
        )?)
    }

    /// The file's bytes, refusing non-regular files (a FIFO would block) and files over
    /// `limit` bytes.
    pub fn read(&self, relative: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
        let fd = self.open_at(relative, OFlags::RDONLY | OFlags::NONBLOCK, Mode::empty())?;
        let stat = rustix::fs::fstat(&fd)?;
        if rustix::fs::FileType::from_raw_mode(stat.st_mode) != rustix::fs::FileType::RegularFile {
            return Err(std::io::Error::other("not a regular file"));
        }
        if stat.st_size as u64 > limit {
            return Err(std::io::Error::other(format!(
                "is {} bytes, over the {limit}-byte limit",
                stat.st_size
            )));
        }
        let mut bytes = Vec::new();
        std::fs::File::from(fd)
            .take(limit + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The file's size and whether it is a regular file.
    pub fn stat(&self, relative: &Path) -> std::io::Result<(u64, bool)> {
        let fd = self.open_at(relative, OFlags::PATH, Mode::empty())?;
        let stat = rustix::fs::fstat(&fd)?;
        let regular =
            rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::RegularFile;
        Ok((stat.st_size as u64, regular))
    }

    /// Writes `bytes` to the file (created, or truncated), making its parent directories.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(parent) = relative.parent() {
            self.make_dirs(parent)?;
        }
        let fd = self.open_at(
            relative,
            OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NONBLOCK,
            Mode::from_raw_mode(0o644),
        )?;
        let stat = rustix::fs::fstat(&fd)?;
        if rustix::fs::FileType::from_raw_mode(stat.st_mode) != rustix::fs::FileType::RegularFile {
            return Err(std::io::Error::other("not a regular file"));
        }
        self.give(&fd)?;
        let mut file = std::fs::File::from(fd);
        file.write_all(bytes)?;
        file.flush()
    }

    /// `mkdir -p` beneath the root: each level is made in its (checked) parent.
    pub fn make_dirs(&self, relative: &Path) -> std::io::Result<()> {
        let mut done = PathBuf::new();
        for part in relative.components() {
            let Component::Normal(name) = part else {
                continue;
            };
            let parent = self.open_at(&done, OFlags::PATH | OFlags::DIRECTORY, Mode::empty())?;
            done.push(name);
            match rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o755)) {
                Ok(()) => {
                    let made =
                        self.open_at(&done, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
                    self.give(&made)?;
                }
                Err(rustix::io::Errno::EXIST) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Hands a new file or directory to the sandbox's user.
    fn give(&self, fd: &impl AsFd) -> std::io::Result<()> {
        if let Some((uid, gid)) = self.owner {
            let (uid, gid) = (
                rustix::fs::Uid::from_raw(uid),
                rustix::fs::Gid::from_raw(gid),
            );
            rustix::fs::fchown(fd, Some(uid), Some(gid))?;
        }
        Ok(())
    }

    /// Visits every entry beneath `relative` (depth first, symlinks not followed, at most
    /// `max` entries): `visit(path relative to the root, is_dir)`. Returns whether the walk
    /// was cut short.
    pub fn walk(
        &self,
        relative: &Path,
        max: usize,
        visit: &mut dyn FnMut(&Path, bool),
    ) -> std::io::Result<bool> {
        let mut stack = vec![relative.to_path_buf()];
        let mut seen = 0usize;
        while let Some(dir) = stack.pop() {
            let fd = match self.open_at(
                &dir,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW,
                Mode::empty(),
            ) {
                Ok(fd) => fd,
                Err(e) if dir == relative => return Err(e),
                Err(_) => continue, // unreadable subdirectory: skipped
            };
            let mut entries = rustix::fs::Dir::read_from(&fd)?;
            let mut children = Vec::new();
            while let Some(entry) = entries.read() {
                let entry = entry?;
                let name = entry.file_name().to_bytes();
                if name == b"." || name == b".." {
                    continue;
                }
                let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
                let path = dir.join(name);
                let is_dir = entry.file_type() == rustix::fs::FileType::Directory;
                children.push((path, is_dir));
            }
            children.sort();
            for (path, is_dir) in children.into_iter().rev() {
                seen += 1;
                if seen > max {
                    return Ok(true);
                }
                visit(&path, is_dir);
                if is_dir {
                    stack.push(path);
                }
            }
        }
        Ok(false)
    }
}
