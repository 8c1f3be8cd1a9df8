/** The little Markdown the reference needs: inline code and pipe tables. */

export function code(value: string): string {
  return `\`${value}\``;
}

function cell(value: string): string {
  // A pipe inside a cell would end it, and a line break would end the row.
  return value.replace(/(?<!\\)\|/gu, '\\|').replace(/\s*\n\s*/gu, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
