import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../i18n';

type Props = {
  /** The committed search text (usually from the URL). */
  value: string | undefined;
  /** Called with the trimmed text on Enter, on the button, and with '' when cleared. */
  onSearch: (text: string) => void;
  placeholder: string;
  size?: 'middle' | 'large';
  width?: number | string;
  buttonText?: string;
  testId?: string;
};

/**
 * A text box with a search button. Unlike antd's Input.Search, the accessible name and the
 * test id land on the <input> itself.
 */
export function SearchInput({ value, onSearch, placeholder, size = 'middle', width = 260, buttonText, testId }: Props) {
  const t = useT();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);

  return (
    <Space.Compact style={{ width }} size={size}>
      <Input
        allowClear
        value={text}
        placeholder={placeholder}
        aria-label={placeholder}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          if (e.type === 'click' && e.target.value === '') onSearch('');
        }}
        onPressEnter={() => onSearch(text.trim())}
      />
      <Button
        type={buttonText ? 'primary' : 'default'}
        icon={<SearchOutlined />}
        aria-label={buttonText ?? t('search.button')}
        onClick={() => onSearch(text.trim())}
      >
        {buttonText}
      </Button>
    </Space.Compact>
  );
}
