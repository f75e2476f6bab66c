//! Standard output for every command. When its reader goes away (`outrig … | head`), the
//! program ends quietly and successfully, as Unix tools do, instead of panicking (what
//! `println!` does) or reporting an error; any other failure to write ends it with one.

use std::io::{ErrorKind, Write};

/// `println!` to standard output, ending the program as [`crate::stdout`] says.
macro_rules! outln {
    () => {
        $crate::stdout::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` to standard output, ending the program as [`crate::stdout`] says.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!($($arg)*))
    };
}

/// Writes formatted text to standard output.
pub fn write(text: std::fmt::Arguments<'_>) {
    if let Err(error) = std::io::stdout().lock().write_fmt(text) {
        closed_or_failed(error);
    }
}

/// Standard output as a writer whose writes never fail: a failure ends the program.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        std::io::stdout()
            .lock()
            .write(bytes)
            .or_else(|error| closed_or_failed(error))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout()
            .lock()
            .flush()
            .or_else(|error| closed_or_failed(error))
    }
}

/// Ends the program after a failed write to standard output.
fn closed_or_failed(error: std::io::Error) -> ! {
    if error.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write to standard output: {error}");
    std::process::exit(1);
}
