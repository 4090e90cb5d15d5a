import type { FormRule } from 'antd';
import type { TFunction } from '../i18n';

/** The platform's password policy as form rules: 10+ characters with letters and digits. */
export function passwordRules(t: TFunction): FormRule[] {
  return [
    { required: true },
    { min: 10, message: t('password.tooShort') },
    {
      validator: (_, value: string | undefined) =>
        !value || (/[A-Za-z]/.test(value) && /\d/.test(value))
          ? Promise.resolve()
          : Promise.reject(new Error(t('password.weak'))),
    },
  ];
}

/** Rules for a "repeat the password" field that must equal the field named `of`. */
export function confirmPasswordRules(t: TFunction, of: string): FormRule[] {
  return [
    { required: true },
    ({ getFieldValue }) => ({
      validator: (_, value: string | undefined) =>
        !value || value === getFieldValue(of) ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
    }),
  ];
}
