// The new-domain wizard: one form in sections; domusd checks every field, writes NAME.cfg and starts the domain
// when asked. Each field's error is shown beside it; nothing is written while any field is wrong.
import { bytes, call, say, showFieldErrors } from '/api.js';

const form = document.getElementById('wizard');
const status = document.getElementById('status');
const progress = document.getElementById('progress');

// The cards each device model emulates.
const nicModels = {
  qemu: ['e1000', 'rtl8139', 'virtio-net', 'pcnet', 'ne2k_pci'],
  native: ['pcnet', 'virtio-net'],
};

// What suits each kind of guest: Linux has virtio drivers, Windows XP ships RTL8139's, older systems know the PCnet Xen 3.0 gave them.
const osDefaults = {
  linux: { nic: 'virtio-net', memory: 512 },
  windows: { nic: 'rtl8139', memory: 1024 },
  other: { nic: 'pcnet', memory: 256 },
};

function fillNicModels() {
  const select = form.elements.nic_model;
  const chosen = select.value || osDefaults[form.elements.os.value].nic;
  const models = nicModels[form.elements.device_model.value];
  select.replaceChildren(...models.map(model => new Option(model, model)));
  select.value = models.includes(chosen) ? chosen : models[0];
}

function showDiskFields() {
  const kind = form.elements.disk.value;
  for (const field of form.querySelectorAll('[data-disk]')) {
    field.hidden = field.dataset.disk !== kind;
  }
}

form.elements.os.addEventListener('change', () => {
  const defaults = osDefaults[form.elements.os.value];
  form.elements.memory_mib.value = defaults.memory;
  form.elements.nic_model.value = '';
  fillNicModels();
  form.elements.nic_model.value = nicModels[form.elements.device_model.value].includes(defaults.nic) ? defaults.nic : form.elements.nic_model.value;
});
form.elements.device_model.addEventListener('change', fillNicModels);
// A card model matters only with a bridge to plug the card into.
function showCardField() {
  form.elements.nic_model.disabled = !form.elements.bridge.value;
}
form.elements.bridge.addEventListener('change', showCardField);
for (const radio of form.elements.disk) {
  radio.addEventListener('change', showDiskFields);
}

function request() {
  const value = name => form.elements[name].value.trim();
  return {
    name: value('name'),
    os: form.elements.os.value,
    mode: form.elements.mode.value,
    memory_mib: Number(value('memory_mib')) || 0,
    vcpus: Number(value('vcpus')) || 0,
    disk: form.elements.disk.value,
    disk_path: value('disk_path') || null,
    disk_format: form.elements.disk_format.value,
    disk_size: value('disk_size'),
    cdrom: value('cdrom') || null,
    boot: form.elements.boot.value,
    bridge: form.elements.bridge.value || null,
    nic_model: form.elements.nic_model.value,
    vnc: form.elements.vnc.checked,
    vnc_password: form.elements.vnc_password.value || null,
    device_model: form.elements.device_model.value,
    start: form.elements.start.checked,
  };
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const button = form.querySelector('[type="submit"]');
  button.disabled = true;
  progress.hidden = false;
  progress.removeAttribute('value');
  showFieldErrors(form, {});
  say(status, form.elements.start.checked ? 'Writing the configuration and starting the domain…' : 'Writing the configuration…');
  try {
    const result = await call('POST', '/configs', request());
    const link = document.createElement('a');
    link.href = result.domain ? `/domain.html?name=${encodeURIComponent(result.name)}` : '/';
    link.textContent = result.domain ? `Open ${result.name}` : 'Domains';
    say(status, result.domain ? `Wrote ${result.path}; ${result.name} is ${result.domain.status} (id ${result.domain.id}). `
      : result.start_error ? `Wrote ${result.path}, but ${result.name} did not start: ${result.start_error} ` : `Wrote ${result.path}. `, Boolean(result.start_error));
    status.append(link);
    await loadChoices();
  } catch (error) {
    const left = showFieldErrors(form, error.errors ?? {});
    const rest = Object.entries(left).map(([field, message]) => `${field}: ${message}`);
    say(status, Object.keys(error.errors ?? {}).length > rest.length
      ? `Nothing was written: correct the fields marked.${rest.length ? ' ' + rest.join('; ') : ''}`
      : `Nothing was written: ${error.message}`, true);
    form.querySelector('.error:not([hidden])')?.closest('.field')?.querySelector('input, select')?.focus();
  } finally {
    button.disabled = false;
    progress.hidden = true;
  }
});

/** The images (for the disk and CD-ROM fields) and bridges (for the network card) there are now. */
async function loadChoices() {
  try {
    const [images, networks] = await Promise.all([call('GET', '/images'), call('GET', '/networks')]);
    document.getElementById('images').replaceChildren(...images.map(image => new Option(`${image.format}, ${bytes(image.size_bytes)}`, image.name)));
    const bridge = form.elements.bridge;
    const chosen = bridge.value;
    bridge.replaceChildren(new Option('No network card', ''), ...networks.map(network => new Option(`${network.name}${network.address ? ` (${network.address})` : ''}`, network.name)));
    bridge.value = networks.some(network => network.name === chosen) ? chosen : '';
    showCardField();
    const host = await call('GET', '/host');
    form.elements.vcpus.max = host.cpus;
    form.elements.memory_mib.max = host.memory_mib;
  } catch (error) {
    say(status, `domusd: ${error.message}`, true);
  }
}

fillNicModels();
showCardField();
showDiskFields();
loadChoices();
