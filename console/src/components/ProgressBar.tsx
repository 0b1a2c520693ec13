// Progress as a native <progress> with its numbers beside it.
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <div class="progress">
      <label>
        {label}
        <progress max={Math.max(1, total)} value={done} />
      </label>
      <span>
        {done} / {total}
      </span>
    </div>
  );
}
