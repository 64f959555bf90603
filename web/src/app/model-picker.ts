import type { ModelCatalog } from '../shared/catalog';
import { h } from './element';
import { formatBytes } from './units';

/**
 * Radio buttons built from the catalog: each tier's label, download size and id ("Lite 4.6 MB
 * u2netp"); `pick` fires on a change.
 */
export class ModelPicker {
  private readonly inputs = new Map<string, HTMLInputElement>();

  constructor(container: HTMLElement, catalog: ModelCatalog, pick: (modelId: string) => void) {
    for (const model of catalog.models) {
      const input = h('input', { type: 'radio', name: 'model', value: model.id });
      input.addEventListener('change', () => {
        if (input.checked) pick(model.id);
      });
      this.inputs.set(model.id, input);
      container.append(
        h(
          'label',
          { class: 'model-option' },
          input,
          ` ${model.label} `,
          h('span', { class: 'model-size' }, `(${formatBytes(model.bytes)}) `),
          h('small', {}, model.id),
        ),
      );
    }
  }

  show(modelId: string): void {
    const input = this.inputs.get(modelId);
    if (input) input.checked = true;
  }
}
