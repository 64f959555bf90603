/**
 * The three ways in: the file picker, dropping files anywhere on the page, and pasting (Ctrl+V).
 * Each hands image files straight to `accept`; nothing waits for another click.
 */
export function wireFileIntake(
  input: HTMLInputElement,
  dropTarget: HTMLElement,
  accept: (files: File[]) => void,
): void {
  const images = (files: Iterable<File>) => [...files].filter((f) => f.type.startsWith('image/'));

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
