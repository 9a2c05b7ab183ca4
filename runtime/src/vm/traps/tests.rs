//! Traps unwind to `catch_traps`, from explicit calls and from faults.

use super::*;

#[test]
fn explicit_trap_unwinds_and_nesting_restores() {
    // SAFETY: the closures own nothing with a destructor.
    let r = unsafe { catch_traps(|| raise_trap(TrapCode::IntegerOverflow)) }.map_err(|c| c.code);
    assert_eq!(r, Err(TrapCode::IntegerOverflow));
    let mut ran = false;
    let r = unsafe {
        catch_traps(|| {
            let inner = catch_traps(|| raise_trap(TrapCode::Unreachable)).map_err(|c| c.code);
            assert_eq!(inner, Err(TrapCode::Unreachable));
            ran = true;
        })
    }
    .map_err(|c| c.code);
    assert_eq!(r, Ok(()));
    assert!(ran);
    assert!(!in_wasm());
}

/// Maps `code` executable and a neighbouring inaccessible page.
unsafe fn code_and_guard(code: &[u8]) -> (*mut u8, *mut u8) {
    unsafe {
        let page = libc::mmap(
            std::ptr::null_mut(),
            8192,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        ) as *mut u8;
        assert!(page as *mut libc::c_void != libc::MAP_FAILED);
        std::ptr::copy_nonoverlapping(code.as_ptr(), page, code.len());
        libc::mprotect(
            page as *mut libc::c_void,
            4096,
            libc::PROT_READ | libc::PROT_EXEC,
        );
        libc::mprotect(page.add(4096) as *mut libc::c_void, 4096, libc::PROT_NONE);
        (page, page.add(4096))
    }
}

#[cfg(target_arch = "x86_64")]
#[test]
fn faults_in_registered_code_become_traps() {
    // mov eax, [rdi]; ret  /  ud2
    let (load, guard) = unsafe { code_and_guard(&[0x8b, 0x07, 0xc3, 0x0f, 0x0b]) };
    let range = code_ranges::CodeRange::register(load as usize, load as usize + 4096).unwrap();
    let read: extern "C" fn(*const u32) -> u32 = unsafe { std::mem::transmute(load) };
    let ud2: extern "C" fn() = unsafe { std::mem::transmute(load.add(3)) };
    let value = 0x1234u32;
    let mut got = 0;
    let r = unsafe { catch_traps(|| got = read(&value)) }.map_err(|c| c.code);
    assert_eq!((r, got), (Ok(()), 0x1234));
    let r = unsafe { catch_traps(|| got = read(guard as *const u32)) }.map_err(|c| c.code);
    assert_eq!(r, Err(TrapCode::MemoryOutOfBounds));
    let r = unsafe { catch_traps(|| ud2()) }.map_err(|c| c.code);
    assert_eq!(r, Err(TrapCode::Unreachable));
    for _ in 0..100 {
        let r = unsafe { catch_traps(|| got = read(guard as *const u32)) }.map_err(|c| c.code);
        assert_eq!(
            r,
            Err(TrapCode::MemoryOutOfBounds),
            "repeated faults keep working"
        );
    }
    drop(range);
}

#[test]
fn a_stale_registration_leaves_its_successor_registered() {
    use super::code_map::{Code, Reader, Registration};
    // An address no image uses: registrations only record ranges.
    let (start, end) = (0x7000_dead_0000, 0x7000_dead_1000);
    let old = Registration::new(start, end, None);
    // The old image's memory is gone and new code lands at the same place.
    let new = Registration::new(start, end, None);
    drop(old);
    assert!(matches!(Reader::new().lookup(start + 8), Some(Code::Other)));
    drop(new);
    assert!(Reader::new().lookup(start + 8).is_none());
}
