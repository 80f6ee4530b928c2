/** The files under a path (itself when it is a file), with their paths relative to it, for artifact uploads. */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';

export interface ArtifactFile {
  absolutePath: string;
  /** Path under the artifact folder, '/'-separated. */
  artifactPath: string;
}

export async function artifactFiles(localPath: string, artifactPath?: string): Promise<ArtifactFile[]> {
  const root = artifactPath ?? basename(localPath);
  if (!(await stat(localPath)).isDirectory()) return [{ absolutePath: localPath, artifactPath: root }];
  const entries = await readdir(localPath, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => {
      const absolutePath = join(e.parentPath, e.name);
      return { absolutePath, artifactPath: [root, ...relative(localPath, absolutePath).split(/[\\/]/)].filter(Boolean).join('/') };
    })
    .sort((a, b) => a.artifactPath.localeCompare(b.artifactPath));
}
