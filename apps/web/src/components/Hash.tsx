/** A SHA-256 shortened for reading; the full value stays selectable and in the title. */
export function Hash({ value, label }: { value: string; label: string }) {
  return (
    <code className="hash" title={value} aria-label={`${label} ${value}`}>
      {value.slice(0, 12)}…
    </code>
  );
}
