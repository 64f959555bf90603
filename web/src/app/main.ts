import './styles.css';
import { liveRegion, QueueAnnouncer } from './announcer';
import { parseBackend } from './backend-plan';
import { BatchQueue, type Segmenters } from './batch-queue';
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
import { SegmentationClient } from './segmentation-client';
import { StatusView } from './status-view';
import { registerServiceWorker } from './sw-registration';
import { zipResults } from './zip-download';
import { engineWait } from './engine-wait';

registerServiceWorker();

const params = new URLSearchParams(location.search);
const preference = new ModelPreference(browserStore(), catalog);
const threadsParam = Number.parseInt(params.get('threads') ?? '', 10);
const status = new StatusView();
// the engine reports before the queue's view exists: its last word is kept for the view
const rowsWaiting: { text: string | undefined; view?: QueueView } = { text: undefined };
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
  {
    backend: parseBackend(params.get('backend')),
    maxThreads: Number.isFinite(threadsParam) && threadsParam > 0 ? threadsParam : undefined,
  },
);

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
  (signal, item, box) => segmenters[item.where](signal, item.source, box),
  (item, png) => queue.replaceResult(item, png),
);
const zipButton = byId<HTMLButtonElement>('download-zip');
const view = new QueueView(byId<HTMLUListElement>('queue'), {
  cancel: (item) => queue.cancel(item.id),
  edit: (item) => void editor.open(item),
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

const segmenters: Segmenters = {
  device: (signal, image, box) => client.segment(signal, image, box),
  server: hostedSegmenter({
    client: new HostedClient(),
    capabilities: () => hostedMode.limits,
    preferredModel: () => client.currentPlan?.model.id,
  }),
};

const announcer = new QueueAnnouncer(liveRegion(byId('announcer')));
const queue = new BatchQueue(segmenters, (item) => {
  view.render(item);
  announcer.changed(item);
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
  zipButton.disabled = !queue.all.some((i) => i.state === 'done');
});

// Where an image goes is decided now, as it is added: switching later never moves it.
wireFileIntake(byId<HTMLInputElement>('file-input'), document.body, (files) =>
  queue.add(files, hostedMode.where()),
);

zipButton.addEventListener('click', async () => {
  const done = queue.all.filter((i) => i.state === 'done' && i.result);
  const zip = await zipResults(done.map((i) => ({ name: i.outputName, png: i.result!.png })));
  saveBlob(zip, 'cutouts.zip');
});

const urlModel = params.get('model') ?? undefined;
void client.start(urlModel ?? preference.get()).then(() => {
  // a ?model= link is a pick too: remembered for the next visit (unless it is the default)
  if (urlModel !== undefined) preference.pick(urlModel, client.defaultModelId ?? '');
});
