//! The wasm's allocator: one free list per power-of-two size class, carved from memory the
//! module grows and never returns (wasm memory cannot shrink anyway). Every operation is
//! O(1); a block is at most twice the size asked for. It replaces dlmalloc, which was
//! 7 KB of the npm package's wasm, for the few allocation sizes a stream makes (chunks,
//! lines, event texts), which it reuses from its lists.
//!
//! The module is single-threaded (no wasm threads), so the lists are plain cells. Native
//! builds compile it only for its tests.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

const PAGE: usize = 65_536;
/// Smallest block: room for the free list's next pointer, and 8-byte alignment.
const MIN_CLASS: u32 = 3;
/// Blocks are aligned to their size up to this (larger alignments are refused).
const MAX_ALIGN: usize = 16;

/// The size class of `layout`: blocks of `1 << class` bytes. `None` for an alignment
/// above [`MAX_ALIGN`] or a size no block can hold.
fn class_of(layout: Layout) -> Option<u32> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros();
    (class < usize::BITS - 1).then_some(class)
}

/// Grows the memory by `pages`: the old size in pages, or `usize::MAX` when it cannot.
#[cfg(target_arch = "wasm32")]
fn grow(pages: usize) -> usize {
    core::arch::wasm32::memory_grow(0, pages)
}

/// Native builds have no wasm memory to grow.
#[cfg(not(target_arch = "wasm32"))]
fn grow(_pages: usize) -> usize {
    usize::MAX
}

/// The allocator: free-list heads by class, and the unused end of the last grown memory.
pub struct SizeClasses {
    free: [Cell<usize>; usize::BITS as usize],
    next: Cell<usize>,
    end: Cell<usize>,
}

// SAFETY: the wasm module has one thread; nothing else reaches these cells.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    /// An allocator with no memory yet.
    pub const fn new() -> Self {
        SizeClasses {
            free: [const { Cell::new(0) }; usize::BITS as usize],
            next: Cell::new(0),
            end: Cell::new(0),
        }
    }

    /// A fresh block of `size` bytes from the end of memory, growing it when needed.
    fn carve(&self, size: usize) -> *mut u8 {
        let start = (self.next.get() + MAX_ALIGN - 1) & !(MAX_ALIGN - 1);
        let Some(stop) = start.checked_add(size) else {
            return std::ptr::null_mut();
        };
        if start == 0 || stop > self.end.get() {
            let pages = size.div_ceil(PAGE) + 1;
            let old = grow(pages);
            if old == usize::MAX {
                return std::ptr::null_mut();
            }
            let base = old * PAGE;
            // Memory just grown continues the old end: keep using it.
            let start = if self.end.get() == base && start != 0 {
                start
            } else {
                base
            };
            self.next.set(start + size);
            self.end.set((old + pages) * PAGE);
            return start as *mut u8;
        }
        self.next.set(stop);
        start as *mut u8
    }
}

unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return std::ptr::null_mut();
        };
        let head = &self.free[class as usize];
        match head.get() {
            0 => self.carve(1 << class),
            block => {
                // SAFETY: a listed block is free and starts with the next block's address.
                head.set(unsafe { *(block as *const usize) });
                block as *mut u8
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout) {
            let head = &self.free[class as usize];
            // SAFETY: the block is ours, at least 8 bytes and 8-aligned, and now unused.
            unsafe { *(ptr as *mut usize) = head.get() };
            head.set(ptr as usize);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        if class_of(layout) == class_of(new_layout) {
            return ptr;
        }
        // SAFETY: as `GlobalAlloc::realloc` requires of the caller.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::class_of;
    use std::alloc::Layout;

    #[test]
    fn sizes_round_up_to_a_power_of_two_of_at_least_eight() {
        let class = |size, align| class_of(Layout::from_size_align(size, align).unwrap());
        assert_eq!(class(0, 1), Some(3));
        assert_eq!(class(1, 1), Some(3));
        assert_eq!(class(8, 8), Some(3));
        assert_eq!(class(9, 1), Some(4));
        assert_eq!(class(4096, 1), Some(12));
        assert_eq!(class(4097, 1), Some(13));
        assert_eq!(class(2, 16), Some(4));
        assert_eq!(class(8, 32), None);
        assert_eq!(class(usize::MAX / 2, 1), None);
    }
}
