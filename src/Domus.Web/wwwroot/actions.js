// What can be done to a domain, on the list and on its own page: the buttons its state allows, each sent to the
// same API as `domus` uses; destroy asks first.
import { call, confirmed } from '/api.js';

const labels = { pause: 'Pause', unpause: 'Unpause', shutdown: 'Shut down', reboot: 'Reboot', destroy: 'Destroy' };

/**
 * The buttons for a domain in its state. report(text, isError) says how an action ended; done() runs after it
 * (the page refreshes what it shows).
 */
export function actionButtons(domain, report, done) {
  const actions = [domain.status === 'paused' ? 'unpause' : 'pause', 'shutdown', 'reboot', 'destroy'];
  return actions.map(action => {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = labels[action];
    element.dataset.testid = action;
    if (action === 'destroy') {
      element.className = 'danger';
    }
    element.addEventListener('click', () => act(domain, action, report, done));
    return element;
  });
}

async function act(domain, action, report, done) {
  if (action === 'destroy' && !await confirmed(`Destroy ${domain.name}? The guest stops at once, as if its power were cut.`, 'Destroy')) {
    return;
  }
  try {
    await call('POST', `/domains/${encodeURIComponent(domain.name)}/${action}`);
    report(`${labels[action]}: ${domain.name}`);
  } catch (error) {
    report(`${labels[action]} ${domain.name}: ${error.message}`, true);
  }
  await done();
}
