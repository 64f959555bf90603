/** What the input's hint says beside "Choose photos", by how the person points. */
export const INTAKE_HINT = {
  pointer: '…or drop them anywhere on this page, or paste with Ctrl+V.',
  // a phone can neither drag files onto a page nor paste with a key
  touch: 'Pick one or many from your photos, or take one with the camera.',
} as const;

/** Touch is the main way to point (a phone, a tablet): no dragging files, no Ctrl+V. */
const TOUCH = '(pointer: coarse)';

/**
 * The three ways in: the file picker, dropping files anywhere on the page, and pasting (Ctrl+V).
 * Each hands image files straight to `accept`; nothing waits for another click. The hint that
 * describes the input (its aria-describedby) names only the ways this device has.
 */
export function wireFileIntake(
  input: HTMLInputElement,
  dropTarget: HTMLElement,
  accept: (files: File[]) => void,
): void {
  const images = (files: Iterable<File>) => [...files].filter((f) => f.type.startsWith('image/'));

  const hint = document.getElementById(input.getAttribute('aria-describedby') ?? '');
  if (hint) {
    const touch = matchMedia(TOUCH);
    const describe = () => {
      hint.textContent = touch.matches ? INTAKE_HINT.touch : INTAKE_HINT.pointer;
    };
    describe();
    touch.addEventListener('change', describe);
  }

  input.addEventListener('change', () => {
    if (input.files) accept(images(input.files));
    input.value = ''; // picking the same file again should run it again
  });

  document.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    dropTarget.classList.add('dragging');
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) dropTarget.classList.remove('dragging');
  });
  document.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    dropTarget.classList.remove('dragging');
    accept(images(event.dataTransfer.files));
  });

  document.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.items ?? [])]
      .filter((item) => item.kind === 'file')
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
    const pasted = images(files);
    if (pasted.length === 0) return;
    event.preventDefault();
    accept(pasted);
  });
}
