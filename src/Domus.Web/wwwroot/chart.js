// A line chart drawn on a canvas by hand (no library): readings oldest first, a scale from 0 to a round maximum
// with its label, and the time the readings span. Sized to the canvas's box, sharp on high-density screens.

/** The smallest of 1, 2, 5 times a power of ten that is at least value (and at least floor). */
function roundUp(value, floor) {
  const target = Math.max(value, floor);
  const power = 10 ** Math.floor(Math.log10(target));
  return [1, 2, 5, 10].map(step => step * power).find(candidate => candidate >= target);
}

export function drawChart(canvas, values, { floor, unit, seconds }) {
  const ratio = devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  context.scale(ratio, ratio);
  const style = getComputedStyle(canvas);
  const muted = style.getPropertyValue('--muted').trim() || '#6b7280';
  const accent = style.getPropertyValue('--accent').trim() || '#2b6cb0';
  const top = roundUp(Math.max(0, ...values), floor);
  const left = 4, bottom = height - 16, plotTop = 14;

  context.clearRect(0, 0, width, height);
  context.font = '11px system-ui, sans-serif';
  context.fillStyle = muted;
  context.fillText(`${top} ${unit}`, left, 11);
  context.fillText(seconds < 90 ? `last ${Math.round(seconds)} s` : `last ${Math.round(seconds / 60)} min`, left, height - 3);
  context.strokeStyle = muted;
  context.globalAlpha = 0.4;
  context.beginPath();
  context.moveTo(left, bottom + 0.5);
  context.lineTo(width, bottom + 0.5);
  context.stroke();
  context.globalAlpha = 1;
  if (values.length < 2) {
    return;
  }
  const x = i => left + (width - left) * i / (values.length - 1);
  const y = value => bottom - (bottom - plotTop) * value / top;
  context.strokeStyle = accent;
  context.lineWidth = 2;
  context.beginPath();
  values.forEach((value, i) => (i === 0 ? context.moveTo(x(i), y(value)) : context.lineTo(x(i), y(value))));
  context.stroke();
}
