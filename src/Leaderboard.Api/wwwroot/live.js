// Lists the boards, then follows the chosen board's live top 10 over Server-Sent Events:
// each "top" event is a full snapshot, so the table is simply redrawn.
const select = document.getElementById('board');
const status = document.getElementById('status');
const body = document.getElementById('entries');
let stream = null;

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
  stream.addEventListener('top', event => render(JSON.parse(event.data)));
  stream.onerror = () => { status.textContent = 'Connection lost; reconnecting…'; };
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
