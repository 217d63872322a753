/** A benchmark's command line: `--quick`, and options given as `--name=value` or as the env variable NAME. */
export const argv = process.argv.slice(2);
export const quick = argv.includes('--quick');

export function option(name: string, fallback: string): string {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
  const inline = argv.find((a) => a.startsWith(`${flag}=`));
  return inline?.slice(flag.length + 1) ?? process.env[name] ?? fallback;
}
