//! Compiles a module with the Fast JIT several times in one process and
//! prints the time of each compile (the first includes warming up):
//! `cargo run --release -p kiln-fast-jit --example compile_speed -- X.wasm [N]`.
//! The code is never run, so the runtime's intrinsics get stand-in addresses.

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: compile_speed X.wasm [N]")?;
    let n: u32 = args
        .next()
        .map_or(Ok(5), |s| s.parse())
        .map_err(|e| format!("{e}"))?;
    let wasm = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let rt = kiln_fast_jit::Runtime::resolve(&|_| Some(0x1000)).map_err(|e| e.to_string())?;
    for i in 0..n {
        let start = std::time::Instant::now();
        let m = kiln_fast_jit::compile_module(&wasm, &rt, &kiln_fast_jit::Options::default())
            .map_err(|e| e.to_string())?;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "compile {i}: {:.2} ms, {:.1} MB/s of function bodies ({} bytes of code)",
            secs * 1e3,
            m.body_bytes as f64 / 1e6 / secs,
            m.code.len()
        );
    }
    Ok(())
}
