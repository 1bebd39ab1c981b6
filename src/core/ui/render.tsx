import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ViewContext, type View } from './view.ts';
import { Layout } from './layout.tsx';

/** Renders a full HTML page for the given view. */
export function renderDocument(view: View, title: string, body: VNode): string {
  return '<!doctype html>' + renderToString(
    <ViewContext.Provider value={view}>
      <Layout title={title}>{body}</Layout>
    </ViewContext.Provider>,
  );
}
