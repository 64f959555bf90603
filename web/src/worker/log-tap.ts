/**
 * ONNX Runtime's WebAssembly module binds console.log and console.error when it loads and writes
 * its C++ log there. Wrapping them before ORT loads lets the worker read what ORT logs while it
 * creates a session (which nodes went to which execution provider). Outside a capture the lines
 * pass through untouched.
 */
type Listener = (line: string) => boolean;

let listener: Listener | undefined;
let installed = false;

export function installLogTap(): void {
  if (installed) return;
  installed = true;
  for (const level of ['log', 'warn', 'error'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const keep = listener ? listener(args.map(String).join(' ')) : true;
      if (keep) original(...args);
    };
  }
}

/**
 * Runs `task` and returns the console lines written meanwhile. Verbose and info lines of ORT
 * ("[V:onnxruntime" / "[I:onnxruntime") are kept from the console: asking for them is how the
 * placement is read, and a person has no use for thousands of them.
 */
export async function captureLog<T>(
  task: () => Promise<T>,
): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const previous = listener;
  listener = (line) => {
    lines.push(line);
    return !/\[[VI]:onnxruntime/.test(line);
  };
  try {
    return { value: await task(), lines };
  } finally {
    listener = previous;
  }
}
