/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_keys: the lookups the smaps parser makes for every line, made
 * cheap (smaps of 100,000 VMAs is 2.5 million lines): a field key to its
 * enum smaps_field, trying first the field the kernel prints after the
 * last one, and a VmFlags code to its enum vma_flag by a table of the
 * two letters.  Internal to the vmas module (vmas_int.h). */
#include <string.h>
#include "vmscope/vmas.h"
#include "vmas_int.h"

/* The length of each field's name, measured once (the same values each
 * time: a second thread measuring meanwhile writes what this one does). */
static unsigned char field_len[SMAPS__COUNT];
static bool field_len_made;

/* Whether the field name f is [kb, kb + klen). */
static bool key_is(int f, const char *kb, size_t klen)
{
	return field_len[f] == klen &&
	       memcmp(smaps_field_name((enum smaps_field)f), kb, klen) == 0;
}

int vmas_smaps_key(const char *kb, size_t klen, int *hint)
{
	int f;

	if (klen == 0)
		return -1;
	if (!field_len_made) {
		for (f = 0; f < SMAPS__COUNT; f++)
			field_len[f] = (unsigned char)strlen(
				smaps_field_name((enum smaps_field)f));
		field_len_made = true;
	}
	/* the kernel prints the fields in one order: the one after the
	 * last found is nearly always next */
	if (*hint >= 0 && *hint < SMAPS__COUNT && key_is(*hint, kb, klen)) {
		f = *hint;
		goto found;
	}
	for (f = 0; f < SMAPS__COUNT; f++)
		if (key_is(f, kb, klen))
			goto found;
	return -1;
found:
	*hint = f + 1 < SMAPS__COUNT ? f + 1 : 0;
	return f;
}

/* 1 + enum vma_flag of each code, by its two letters. */
static signed char flag_table[26][26];
static bool flag_table_made;

int vmas_flag_index(char a, char b)
{
	if (a < 'a' || a > 'z' || b < 'a' || b > 'z')
		return -1;
	if (!flag_table_made) {
		/* the same values each time: a second thread making it
		 * meanwhile writes what this one writes */
		for (int f = 0; f < VMF__COUNT; f++) {
			const char *c = vma_flag_code((enum vma_flag)f);

			flag_table[c[0] - 'a'][c[1] - 'a'] = (signed char)(f + 1);
		}
		flag_table_made = true;
	}
	return flag_table[a - 'a'][b - 'a'] - 1;
}
