// Lists the boards, then follows the chosen board's live top 10 over Server-Sent Events:
// each "top" event is a full snapshot, so the table is simply redrawn. The board's stats (kept by
// the stats worker, read pre-aggregated) are read again every few seconds and after each top event.
const select = document.getElementById('board');
const status = document.getElementById('status');
const body = document.getElementById('entries');
const statsStatus = document.getElementById('stats-status');
const statsEvery = 2000;
let stream = null;
let statsTimer = null;

const number = value => value === null || value === undefined ? '–' : Number(value).toLocaleString('en', { maximumFractionDigits: 1 });

function item(text, data) {
  const li = document.createElement('li');
  li.textContent = text;
  Object.assign(li.dataset, data);
  return li;
}

function renderStats(stats) {
  for (const cell of document.querySelectorAll('#stats [data-stat]')) {
    cell.textContent = number(stats[cell.dataset.stat]);
  }
  const widest = Math.max(1, ...stats.histogram.map(bin => bin.count));
  document.getElementById('histogram').replaceChildren(...stats.histogram.map(bin => {
    const li = item(`${number(bin.from)}–${number(bin.to)}: ${bin.count}`, { from: bin.from, count: bin.count });
    li.style.setProperty('--share', String(bin.count / widest));
    return li;
  }));
  document.getElementById('climbers').replaceChildren(...stats.climbers.map(climber =>
    item(`${climber.player} +${climber.positions}`, { player: climber.player })));
  document.getElementById('new-leaders').replaceChildren(...stats.newLeaders.map(leader =>
    item(`${leader.player} with ${number(leader.score)}`, { player: leader.player })));
  const recap = document.getElementById('recap');
  recap.hidden = !stats.recap;
  if (stats.recap) {
    document.getElementById('recap-headline').textContent = stats.recap.headline;
    document.getElementById('recap-highlights').replaceChildren(...stats.recap.highlights.map(text => item(text, {})));
  }
  statsStatus.textContent = stats.updatedAt
    ? `Period ${stats.period}, as of ${new Date(stats.updatedAt).toLocaleTimeString('en')}.`
    : 'No stats yet.';
}

async function refreshStats(boardId) {
  try {
    const response = await fetch(`/api/leaderboards/${encodeURIComponent(boardId)}/stats`);
    if (response.ok && boardId === select.value) {
      renderStats(await response.json());
    }
  } catch (error) {
    statsStatus.textContent = `Could not load stats: ${error}`;
  }
}

function render(snapshot) {
  body.replaceChildren(...snapshot.entries.map(entry => {
    const row = document.createElement('tr');
    row.dataset.player = entry.playerId;
    for (const value of [entry.rank, entry.playerId, entry.score, entry.subscore]) {
      const cell = document.createElement('td');
      cell.textContent = String(value);
      row.append(cell);
    }
    return row;
  }));
  status.textContent = `Period ${snapshot.period}: ${snapshot.entries.length} shown, live.`;
}

function follow(boardId) {
  stream?.close();
  body.replaceChildren();
  status.textContent = `Connecting to ${boardId}…`;
  stream = new EventSource(`/api/leaderboards/${encodeURIComponent(boardId)}/live`);
  stream.onopen = () => { status.textContent = `Following ${boardId} live.`; };
  stream.addEventListener('top', event => { render(JSON.parse(event.data)); refreshStats(boardId); });
  stream.onerror = () => { status.textContent = 'Connection lost; reconnecting…'; };
  clearInterval(statsTimer);
  refreshStats(boardId);
  statsTimer = setInterval(() => refreshStats(boardId), statsEvery);
}

async function loadBoards() {
  const response = await fetch('/api/leaderboards');
  const boards = await response.json();
  select.replaceChildren(...boards.map(board => new Option(board.boardId, board.boardId)));
  const wanted = new URLSearchParams(location.search).get('board');
  if (wanted && boards.some(board => board.boardId === wanted)) {
    select.value = wanted;
  }
  if (select.value) {
    follow(select.value);
  } else {
    status.textContent = 'No boards yet: create one with PUT /api/leaderboards/{boardId}.';
  }
}

select.addEventListener('change', () => follow(select.value));
loadBoards().catch(error => { status.textContent = `Could not load boards: ${error}`; });
