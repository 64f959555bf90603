import './styles.css';
import { liveRegion, QueueAnnouncer } from './announcer';
import { parseBackend } from './backend-plan';
import { CutoutError } from '../shared/errors';
import type { SubjectBox } from '../shared/subject-box';
import { BatchQueue, isFinished, type Made, type QueueItem, type Segmenters } from './batch-queue';
import { catalog } from './catalog';
import { byId, saveBlob } from './element';
import { ResultEditor } from './editor/result-editor';
import { wireFileIntake } from './file-intake';
import { fetchCapabilities, NO_HOSTED_PATH } from './hosted/capabilities';
import { HostedClient } from './hosted/client';
import { HostedConsent, sessionConsentStorage } from './hosted/consent';
import { HostedMode } from './hosted/mode';
import { hostedSegmenter } from './hosted/segmenter';
import { localRunMs, suggestsHosted } from './hosted/suggestion';
import { HostedSwitchView } from './hosted/switch-view';
import { ModelPicker } from './model-picker';
import { browserStore, ModelPreference } from './model-preference';
import { QueueView } from './queue-view';
import { ResultStore } from './result-store';
import { SegmentationClient, type EngineOverrides } from './segmentation-client';
import { StatusView } from './status-view';
import { registerServiceWorker } from './sw-registration';
import { zipResults } from './zip-download';
import { engineWait } from './engine-wait';

registerServiceWorker();

const params = new URLSearchParams(location.search);
const preference = new ModelPreference(browserStore(), catalog);
const threadsParam = Number.parseInt(params.get('threads') ?? '', 10);
const memoryParam = Number.parseFloat(params.get('memory') ?? '');
const status = new StatusView();
// the engine reports before the queue's view exists: its last word is kept for the view
const rowsWaiting: { text: string | undefined; view?: QueueView } = { text: undefined };
const overrides: EngineOverrides = {
  backend: parseBackend(params.get('backend')),
  maxThreads: Number.isFinite(threadsParam) && threadsParam > 0 ? threadsParam : undefined,
  // as if the browser reported this much memory (GiB): for trying the low-memory rules anywhere
  deviceMemory: Number.isFinite(memoryParam) && memoryParam > 0 ? memoryParam : undefined,
};
const client: SegmentationClient = new SegmentationClient(
  catalog,
  {
    status: (s) => {
      status.show(s, client.capabilities);
      rowsWaiting.text = engineWait(s);
      rowsWaiting.view?.waiting(rowsWaiting.text);
      if (s.state !== 'starting' && s.plan) picker.show(s.plan.model.id);
      if (s.state !== 'starting') status.offer(s.plan?.lowMemoryOffer, pick);
    },
    fellBack: (reason) => status.fellBack(reason),
  },
  overrides,
);

/**
 * "Redo with Quality" runs in a second worker of its own, started on the first redo and ended
 * when the queue goes idle: the page's model stays loaded for the rest of the batch, and the
 * Quality session's WebAssembly memory (which never shrinks) is given back afterwards.
 */
let qualityClient: SegmentationClient | undefined;
function segmentWithQuality(
  signal: AbortSignal,
  image: Blob,
  box?: SubjectBox,
  onPreview?: (preview: Blob) => void,
): Promise<Made> {
  const modelId = client.qualityModelId;
  if (modelId === undefined || client.currentPlan?.model.id === modelId) {
    return client.segment(signal, image, box, onPreview);
  }
  if (!qualityClient) {
    qualityClient = new SegmentationClient(
      catalog,
      {
        status: (s) => rowsWaiting.view?.waiting(engineWait(s), 'quality'),
        fellBack: () => undefined,
      },
      overrides,
    );
    void qualityClient.start(modelId);
  }
  return qualityClient.segment(signal, image, box, onPreview);
}

/**
 * The person's pick wins and is remembered (localStorage); picking the model this device would
 * choose by itself forgets it, and the URL's ?model= goes with it.
 */
function pick(modelId: string): void {
  const kept = preference.pick(modelId, client.defaultModelId ?? '');
  const url = new URL(location.href);
  if (kept) url.searchParams.set('model', modelId);
  else url.searchParams.delete('model');
  history.replaceState(null, '', url);
  client.select(kept ? modelId : undefined);
}

const picker = new ModelPicker(byId('model-picker'), catalog, pick);

const editor = new ResultEditor(
  (signal, args) => client.compose(signal, args),
  (signal, files) => client.unpack(signal, files),
  // a box runs where its item ran: on this device, or on the server the person sent it to
  (signal, item, box) => segmenters[item.where](signal, item.source, box, item.tier),
  (item, png) => queue.replaceResult(item, png),
);
const zipButton = byId<HTMLButtonElement>('download-zip');
const clearButton = byId<HTMLButtonElement>('clear-finished');
const view = new QueueView(byId<HTMLUListElement>('queue'), {
  cancel: (item) => queue.cancel(item.id),
  edit: (item) => void editor.open(item),
  remove: (item) => {
    editor.letGo(item);
    queue.remove(item.id);
  },
  retry: (item) => queue.retry(item.id),
  redoWithQuality: (item) => {
    editor.letGo(item);
    queue.redoWithQuality(item.id);
  },
  qualityModelId: () => client.qualityModelId,
});
rowsWaiting.view = view;
view.waiting(rowsWaiting.text);
// The opt-in hosted path: hidden and off unless the server offers it and the person says yes.
const hostedMode = new HostedMode(new HostedConsent(sessionConsentStorage()), NO_HOSTED_PATH);
const hostedView = new HostedSwitchView(hostedMode);
void fetchCapabilities().then((capabilities) => {
  hostedMode.update(capabilities);
  hostedView.render();
});

const serverSegment = hostedSegmenter({
  client: new HostedClient(),
  capabilities: () => hostedMode.limits,
  preferredModel: () => client.currentPlan?.model.id,
});
const segmenters: Segmenters = {
  device: (signal, image, box, tier, onPreview) =>
    tier === 'quality'
      ? segmentWithQuality(signal, image, box, onPreview)
      : client.segment(signal, image, box, onPreview),
  server: async (signal, image, box, _tier, onPreview) => {
    // the photo goes to the server; its picture in the list is still made on this device
    if (onPreview) client.preview(signal, image).then(onPreview, () => undefined);
    const made = await serverSegment(signal, image, box);
    const model = client.currentPlan?.model;
    const offered = model && hostedMode.limits.models.includes(model.id);
    const label = offered ? `${model.label} (${model.id}) · server` : "server's model";
    return { ...made, madeBy: { modelId: offered ? model.id : '', label } };
  },
};

// Finished results go to the Origin Private File System; where there is none they stay in memory.
const store = new ResultStore();
const queueNotice = byId<HTMLElement>('queue-notice');
function queueSays(text: string): void {
  queueNotice.textContent = text;
  queueNotice.hidden = false;
}
void store.opened.then((opened) => {
  document.documentElement.dataset['resultStore'] = opened.where;
  if (opened.where === 'memory') {
    queueSays(
      `Results are kept in memory (${opened.reason ?? 'no file storage'}): a large batch uses more of it.`,
    );
  }
});

function updateListButtons(): void {
  zipButton.disabled = !queue.all.some((i) => i.state === 'done');
  clearButton.disabled = !queue.all.some(isFinished);
}

const announcer = new QueueAnnouncer(liveRegion(byId('announcer')));
const queue = new BatchQueue(
  segmenters,
  {
    changed: (item) => {
      view.render(item);
      announcer.changed(item);
      finished(item);
      updateListButtons();
    },
    removed: (item) => {
      view.remove(item);
      announcer.removed(item);
      updateListButtons();
    },
    idle: () => {
      qualityClient?.close();
      qualityClient = undefined;
    },
  },
  store,
);

function finished(item: QueueItem): void {
  if (item.state === 'done' && item.result && item.where === 'device') {
    status.imageTimings(item.result.timings, item.result.encoder);
    const ms = localRunMs(item.result.timings);
    const facts = {
      hostedAvailable: hostedMode.available,
      hostedOn: hostedMode.on,
      webgpu: client.capabilities?.caps.webgpu,
      localRunMs: ms,
    };
    if (suggestsHosted(facts)) hostedView.suggest(ms);
  }
}

// Where an image goes is decided now, as it is added: switching later never moves it.
wireFileIntake(byId<HTMLInputElement>('file-input'), document.body, (files) =>
  queue.add(files, hostedMode.where()),
);

clearButton.addEventListener('click', () => {
  for (const item of queue.all) if (isFinished(item)) editor.letGo(item);
  queue.clearFinished();
});

zipButton.addEventListener('click', async () => {
  const done = queue.all.filter((i) => i.state === 'done' && i.result);
  zipButton.disabled = true;
  zipButton.dataset['state'] = 'building';
  try {
    const zip = await zipResults(
      store,
      done.map((i) => ({ name: i.outputName, png: i.result!.png })),
    );
    saveBlob(zip, 'cutouts.zip');
    zipButton.dataset['state'] = 'saved';
  } catch (error) {
    zipButton.dataset['state'] = 'failed';
    queueSays(`The ZIP could not be made: ${CutoutError.from(error).message}`);
  } finally {
    updateListButtons();
  }
});

const urlModel = params.get('model') ?? undefined;
void client.start(urlModel ?? preference.get()).then(() => {
  // a ?model= link is a pick too: remembered for the next visit (unless it is the default)
  if (urlModel !== undefined) preference.pick(urlModel, client.defaultModelId ?? '');
});
