import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { formatBankDateTime } from '../ui/bankTime';
import { Button } from '../ui/Button';
import { BellIcon, ShieldIcon } from '../ui/icons';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { getMessages, type Message, markAllRead, markRead, messageKeys } from './messagesApi';

/**
 * The Messages tab (消息中心): balance changes (动账通知) and security events, newest first. Opening a
 * message marks it read; "mark all read" clears the badge.
 */
export function MobileMessages() {
  const { t, i18n } = useTranslation('mobile');
  const client = useQueryClient();
  useDocumentTitle(`${t('tabs.messages')} · ${t('appName')}`);
  const list = useInfiniteQuery({
    // The server writes the texts in the reader's language: each language is its own entry.
    queryKey: [...messageKeys.list, i18n.language],
    queryFn: ({ pageParam }) => getMessages(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const afterRead = () => {
    void client.invalidateQueries({ queryKey: messageKeys.all });
  };
  const readOne = useMutation({ mutationFn: markRead, onSuccess: afterRead });
  const readAll = useMutation({ mutationFn: markAllRead, onSuccess: afterRead });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const unread = list.data?.pages[0]?.unreadCount ?? 0;

  return (
    <div className="m-page m-messages" data-testid="m-messages">
      <div className="m-messages__head">
        <h1 className="m-page__title">{t('messages.title')}</h1>
        <Button
          variant="quiet"
          onClick={() => readAll.mutate()}
          disabled={unread === 0}
          busy={readAll.isPending}
          data-testid="m-messages-read-all"
        >
          {t('messages.readAll')}
        </Button>
      </div>
      {list.isError && <ProblemAlert error={list.error} />}
      {(readOne.isError || readAll.isError) && <ProblemAlert error={readOne.error ?? readAll.error} />}
      {list.isPending && <Spinner />}
      {list.isSuccess && items.length === 0 && <p className="m-empty">{t('messages.empty')}</p>}
      <ul className="m-cards">
        {items.map((message) => (
          <MessageCard key={message.id} message={message} onOpen={() => !message.read && readOne.mutate(message.id)} />
        ))}
      </ul>
      {list.hasNextPage && (
        <Button
          variant="secondary"
          block
          busy={list.isFetchingNextPage}
          onClick={() => list.fetchNextPage()}
          data-testid="m-messages-more"
        >
          {t('history.more')}
        </Button>
      )}
    </div>
  );
}

function MessageCard({ message, onOpen }: { message: Message; onOpen: () => void }) {
  const { t } = useTranslation('mobile');
  const Icon = message.category === 'balance' ? BellIcon : ShieldIcon;
  return (
    <li>
      <button
        type="button"
        className={message.read ? 'm-card m-message' : 'm-card m-message m-message--unread'}
        onClick={onOpen}
        aria-label={message.read ? undefined : `${t('messages.unread')} ${message.title}`}
        data-testid="m-message"
        data-kind={message.kind}
        data-read={message.read}
      >
        <span className="m-card__row">
          <span className="m-message__title">
            <Icon size={18} className="m-message__icon" />
            {message.title}
            {!message.read && <span className="m-message__dot" aria-hidden="true" />}
          </span>
          <time className="m-card__meta" dateTime={message.createdAt}>
            {formatBankDateTime(message.createdAt).slice(0, 16)}
          </time>
        </span>
        <span className="m-card__text">{message.body}</span>
      </button>
    </li>
  );
}
