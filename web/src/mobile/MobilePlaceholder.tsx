import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { MessageIcon, ScanIcon, TransferIcon } from '../ui/icons';

type Props = { tab: 'transfer' | 'scan' | 'messages' };

const ICONS = { transfer: TransferIcon, scan: ScanIcon, messages: MessageIcon };

/** A tab that a later issue fills in. */
export function MobilePlaceholder({ tab }: Props) {
  const { t } = useTranslation('mobile');
  const Icon = ICONS[tab];
  useDocumentTitle(`${t(`tabs.${tab}`)} · ${t('appName')}`);
  return (
    <div className="m-placeholder">
      <span className="m-placeholder__icon">
        <Icon size={40} />
      </span>
      <h1 className="m-placeholder__title">{t(`tabs.${tab}`)}</h1>
      <p>{t('placeholder')}</p>
    </div>
  );
}
