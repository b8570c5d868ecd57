/* Stand-in for Windows 10's system ICU (icuuc.dll), which Wine 8 lacks and PySide6 6.11's
 * Qt6Core.dll imports. Every converter fails to open, so Qt falls back to its own codecs
 * (UTF-8, UTF-16, Latin-1: all the app uses). Used only under Wine by wine_ci.sh; a real
 * Windows 10/11 has the real DLL. */
#include <stddef.h>

#define API __declspec(dllexport)
enum { U_FILE_ACCESS_ERROR = 4 };

API void *ucnv_open(const char *name, int *err) { (void)name; if (err) *err = U_FILE_ACCESS_ERROR; return NULL; }
API void ucnv_close(void *cnv) { (void)cnv; }
API void ucnv_reset(void *cnv) { (void)cnv; }
API int ucnv_countAvailable(void) { return 0; }
API const char *ucnv_getAvailableName(int n) { (void)n; return NULL; }
API const char *ucnv_getStandardName(const char *name, const char *std, int *err) {
    (void)name; (void)std; if (err) *err = U_FILE_ACCESS_ERROR; return NULL; }
API const char *ucnv_getName(const void *cnv, int *err) { (void)cnv; if (err) *err = U_FILE_ACCESS_ERROR; return NULL; }
API signed char ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
API void ucnv_getToUCallBack(void) {}
API void ucnv_getFromUCallBack(void) {}
API void ucnv_setToUCallBack(void) {}
API void ucnv_setFromUCallBack(void) {}
API void ucnv_cbToUWriteUChars(void) {}
API void ucnv_cbFromUWriteUChars(void) {}
API int ucnv_toUCountPending(const void *cnv, int *err) { (void)cnv; if (err) *err = U_FILE_ACCESS_ERROR; return 0; }
API int ucnv_fromUCountPending(const void *cnv, int *err) { (void)cnv; if (err) *err = U_FILE_ACCESS_ERROR; return 0; }
API void ucnv_toUnicode(void) {}
API void ucnv_fromUnicode(void) {}
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
