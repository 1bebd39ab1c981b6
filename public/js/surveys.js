// Surveys: an enhancement only (the form works without it). Hides a conditional question until its condition
// holds (the server ignores a hidden question's answer either way), and lets a ranking be ordered by dragging,
// which fills the numbered selects the form sends.
const form = document.querySelector('form.survey-form');
if (form) {
  const chosen = (qid) => {
    const block = form.querySelector(`[data-question="${qid}"]`);
    if (!block || block.hidden) return [];
    const out = [];
    for (const el of block.querySelectorAll('input:checked')) out.push(el.value);
    const sel = block.querySelector('select');
    if (sel && !block.querySelector('[data-rank-question]') && sel.value) out.push(sel.value);
    // A ranking's condition looks at its first place.
    for (const s of block.querySelectorAll('[data-rank-key] select')) if (s.value === '1') out.push(s.closest('[data-rank-key]').dataset.rankKey);
    return out;
  };
  const update = () => {
    for (const block of form.querySelectorAll('[data-condition-question]')) {
      const any = block.dataset.conditionAny.split(' ');
      block.hidden = !chosen(block.dataset.conditionQuestion).some((k) => any.includes(k));
    }
  };
  form.addEventListener('change', update);
  update();

  for (const list of form.querySelectorAll('[data-rank-question]')) {
    const renumber = () => {
      // The dragged order becomes places 1…n (only the options already ranked keep a place when some are not).
      [...list.children].forEach((li, i) => { li.querySelector('select').value = String(i + 1); });
      update();
    };
    let dragged = null;
    for (const li of list.children) {
      li.draggable = true;
      li.classList.add('draggable');
      li.addEventListener('dragstart', (e) => { dragged = li; e.dataTransfer.effectAllowed = 'move'; });
      li.addEventListener('dragover', (e) => { e.preventDefault(); });
      li.addEventListener('drop', (e) => {
        e.preventDefault();
        if (!dragged || dragged === li) return;
        const after = [...list.children].indexOf(dragged) < [...list.children].indexOf(li);
        list.insertBefore(dragged, after ? li.nextSibling : li);
        renumber();
      });
    }
  }
}
