// The task log: every changing request made of domusd (by this page, the command line or another host), who made
// it and how it ended, newest first; running tasks show their progress.
import { cell, poll } from '/api.js';

const status = document.getElementById('status');

function took(task) {
  const seconds = (new Date(task.ended) - new Date(task.started)) / 1000;
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`;
}

function render(tasks) {
  const body = document.querySelector('#tasks tbody');
  body.replaceChildren();
  for (const task of tasks) {
    const row = body.insertRow();
    row.dataset.testid = `task-${task.id}`;
    cell(row, '#', task.id, 'number');
    cell(row, 'Action', task.action).dataset.testid = 'action';
    cell(row, 'Target', task.target || '–').dataset.testid = 'target';
    cell(row, 'Who', task.who);
    cell(row, 'Started', new Date(task.started).toLocaleString(), 'nowrap');
    cell(row, 'Took', task.ended ? took(task) : '…', 'number');
    const outcome = cell(row, 'Outcome', '');
    outcome.dataset.testid = 'outcome';
    if (task.ended) {
      outcome.textContent = task.outcome;
      outcome.className = task.outcome === 'done' ? 'outcome done' : 'outcome failed';
    } else {
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = task.progress;
      bar.title = `${task.progress} %`;
      outcome.append(bar);
    }
  }
  document.getElementById('empty').hidden = tasks.length > 0;
}

poll('/tasks', render, status, 1000);
