import { useView, href } from './view.ts';

export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="error-page">
      <h1>{status === 404 ? t('errors.notFoundTitle') : t('errors.title')}</h1>
      <p>{message ?? t('errors.notFound')}</p>
      <p class="muted">{t('errors.status', { status })}</p>
      <p><a href={href(view, '/')}>{t('errors.backHome')}</a></p>
    </section>
  );
}
