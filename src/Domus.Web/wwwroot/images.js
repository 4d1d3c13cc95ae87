// The disk images of the image directory: listed with the domains using them, made by domusd as a task whose
// progress shows here, and deleted after asking (domusd refuses while a domain uses one, and the page says why).
import { bytes, call, cell, confirmed, follow, poll, say, showFieldErrors } from '/api.js';

const status = document.getElementById('status');
const form = document.getElementById('create');
const createStatus = document.getElementById('create-status');
const progress = document.getElementById('progress');

function render(images) {
  const body = document.querySelector('#images tbody');
  body.replaceChildren();
  for (const image of images) {
    const row = body.insertRow();
    row.dataset.testid = `image-${image.name}`;
    cell(row, 'Name', image.name).title = image.path;
    cell(row, 'Format', image.format);
    cell(row, 'Size', bytes(image.size_bytes), 'number');
    cell(row, 'File', bytes(image.file_bytes), 'number');
    cell(row, 'Used by', image.used_by.length ? image.used_by.join(', ') : '–').dataset.testid = 'used-by';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.textContent = 'Delete';
    remove.dataset.testid = 'delete';
    remove.addEventListener('click', () => deleteImage(image));
    cell(row, 'Actions', '').append(remove);
  }
  document.getElementById('empty').hidden = images.length > 0;
}

async function deleteImage(image) {
  const users = image.used_by.length ? ` It is in use by ${image.used_by.join(', ')}.` : '';
  if (!await confirmed(`Delete ${image.name}? Its contents are lost.${users}`, 'Delete')) {
    return;
  }
  try {
    await call('DELETE', `/images/${encodeURIComponent(image.name)}`);
    say(status, `Deleted ${image.name}.`);
  } catch (error) {
    say(status, `${image.name} was not deleted: ${error.message}`, true);
  }
  await refresh();
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const button = form.querySelector('[type="submit"]');
  button.disabled = true;
  showFieldErrors(form, {});
  say(createStatus, '');
  const request = { name: form.elements.name.value.trim(), format: form.elements.format.value, size: form.elements.size.value.trim() };
  try {
    const started = await call('POST', '/images', request);
    progress.hidden = false;
    const task = await follow(started.id, current => {
      // qemu-img says nothing while it works: the bar moves on its own until the task reports a figure.
      if (current.progress > 0) {
        progress.value = current.progress;
      } else {
        progress.removeAttribute('value');
      }
      say(createStatus, `Making ${request.name}…`);
    });
    const done = task.outcome === 'done';
    say(createStatus, done ? `Made ${request.name}.` : `${request.name} was not made: ${task.outcome}`, !done);
    if (done) {
      form.elements.name.value = '';
    }
  } catch (error) {
    const left = showFieldErrors(form, error.errors ?? {});
    say(createStatus, Object.keys(left).length || !error.errors || !Object.keys(error.errors).length ? error.message : 'Nothing was made: correct the fields marked.', true);
  } finally {
    button.disabled = false;
    progress.hidden = true;
  }
  await refresh();
});

const refresh = poll('/images', render, status, 2000);
