// A button or form with data-confirm asks before it acts: the text says what will happen.
// Cancelling sends nothing. Without JavaScript the form acts as before.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const text = (button && button.dataset.confirm) || form.dataset.confirm;
  if (text && !window.confirm(text)) {
    event.preventDefault();
  }
});
