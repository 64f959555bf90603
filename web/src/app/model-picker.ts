import type { ModelCatalog } from '../shared/catalog';
import { h } from './element';

/** Radio buttons built from the catalog ("Quality", "Fast"); `pick` fires on a change. */
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
        h('label', { class: 'model-option' }, input, ` ${model.label} `, h('small', {}, model.id)),
      );
    }
  }

  show(modelId: string): void {
    const input = this.inputs.get(modelId);
    if (input) input.checked = true;
  }
}
