import { inGroup, OPERATE_READERS, OPERATORS } from '../../../contract/roles';

/** Who sees the operator's list (heads: their department; auditors: read-only), as the server checks it. */
export const canReadOperate = (role: string) => inGroup(OPERATE_READERS, role);
/** Who repairs, migrates and runs batches; everyone else sees the list without the buttons. */
export const canOperate = (role: string) => inGroup(OPERATORS, role);
