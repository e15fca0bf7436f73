/* test_functions_more.c - the array/set/bag, IPv4 and encoding/hash
 * functions (fn_array.c, fn_ip.c, fn_encode.c), called as the evaluator
 * calls them. Expected values are the Kusto docs' published examples or
 * worked out by hand (the hash digests are the standard test vectors of
 * MD5, SHA-1 and SHA-256); the edge cases check that hostile input gives
 * null or an empty value instead of a crash.
 */
#include "test_helpers.h"

TestSuite(functions_more, .init = ctx_open, .fini = ctx_close);

/* ---- arrays (NOTES §18-19) ---- */

Test(functions_more, range_is_inclusive_and_capped)
{
    assert_json(CALL("range", kql_long(1), kql_long(8), kql_long(3)), "[1,4,7]");
    assert_json(CALL("range", kql_long(5), kql_long(1), kql_long(-2)), "[5,3,1]");
    assert_json(CALL("range", kql_long(3), kql_long(1)), "[]");
    cr_assert(CALL("range", kql_long(1), kql_long(3), kql_long(0)).is_null);
    /* range-function#4: 1..10^9 stops at 1,048,576 elements */
    kql_value big = CALL("range", kql_long(1), kql_long(1000000000));
    cr_assert_eq(kql_dyn_count((kql_dyn)big.u.s.ptr), 1048576u);
    /* a step past INT64_MAX ends the range instead of wrapping */
    kql_value edge = CALL("range", kql_long(INT64_MAX - 1), kql_long(INT64_MAX), kql_long(INT64_MAX));
    assert_json(edge, "[9223372036854775806]");
}

Test(functions_more, sort_puts_nulls_last_unless_told)
{
    kql_value a = DYN("[null,\"blue\",\"yellow\",\"green\",null]");
    assert_json(CALL("array_sort_asc", a), "[\"blue\",\"green\",\"yellow\",null,null]");
    assert_json(CALL("array_sort_desc", a), "[\"yellow\",\"green\",\"blue\",null,null]");
    assert_json(CALL("array_sort_desc", a, kql_bool(false)), "[null,null,\"yellow\",\"green\",\"blue\"]");
    /* array-sort-asc-function.md example 1: the second array follows the first */
    assert_json(CALL("array_sort_asc", DYN("[1,3,4,5,2]"), DYN("[\"a\",\"b\",\"c\",\"d\",\"e\"]")),
                "[[1,2,3,4,5],[\"a\",\"e\",\"b\",\"c\",\"d\"]]");
    /* numbers before strings */
    assert_json(CALL("array_sort_asc", DYN("[\"b\",2,\"a\",1.5]")), "[1.5,2,\"a\",\"b\"]");
    cr_assert(CALL("array_sort_asc", DYN("{\"a\":1}")).is_null);
}

Test(functions_more, slices_and_shifts_take_negative_counts)
{
    kql_value a = DYN("[1,2,3,4,5]");
    assert_json(CALL("array_slice", a, kql_long(2), kql_long(-1)), "[3,4,5]");
    assert_json(CALL("array_slice", a, kql_long(-3), kql_long(-2)), "[3,4]");
    assert_json(CALL("array_slice", a, kql_long(4), kql_long(1)), "[]");
    assert_json(CALL("array_slice", a, kql_long(INT64_MIN), kql_long(INT64_MAX)), "[1,2,3,4,5]");
    assert_json(CALL("array_rotate_left", a, kql_long(2)), "[3,4,5,1,2]");
    assert_json(CALL("array_rotate_right", a, kql_long(2)), "[4,5,1,2,3]");
    assert_json(CALL("array_rotate_left", a, kql_long(-7)), "[4,5,1,2,3]");
    /* -2^63 = 5 * -1844674407370955161 - 3: rotating right by it is rotating left by 3 */
    assert_json(CALL("array_rotate_right", a, kql_long(INT64_MIN)), "[4,5,1,2,3]");
    assert_json(CALL("array_shift_left", a, kql_long(2), kql_long(-1)), "[3,4,5,-1,-1]");
    assert_json(CALL("array_shift_left", a, kql_long(-2), kql_long(-1)), "[-1,-1,1,2,3]");
    assert_json(CALL("array_shift_right", a, kql_long(2)), "[null,null,1,2,3]");
    assert_json(CALL("array_shift_right", a, kql_long(INT64_MAX)), "[null,null,null,null,null]");
    assert_json(CALL("array_shift_left", a, kql_long(INT64_MIN)), "[null,null,null,null,null]");
    assert_json(CALL("array_rotate_left", DYN("[]"), kql_long(3)), "[]");
}

Test(functions_more, index_of_split_sum_reverse)
{
    kql_value a = DYN("[1,2,3,2]");
    assert_long(CALL("array_index_of", a, kql_long(2)), 1);
    assert_long(CALL("array_index_of", a, kql_long(2), kql_long(2)), 3);
    assert_long(CALL("array_index_of", a, kql_long(2), kql_long(0), kql_long(-1), kql_long(2)), 3);
    assert_long(CALL("array_index_of", a, kql_long(9)), -1);
    assert_long(CALL("array_index_of", a, kql_real(3.0)), 2);
    cr_assert(CALL("array_index_of", a, kql_long(2), kql_long(9)).is_null);
    cr_assert(CALL("array_index_of", a, kql_long(2), kql_long(0), kql_long(-1), kql_long(0)).is_null);
    assert_json(CALL("array_split", DYN("[1,2,3,4,5]"), kql_long(2)), "[[1,2],[3,4,5]]");
    assert_json(CALL("array_split", DYN("[1,2,3,4,5]"), DYN("[1,3]")), "[[1],[2,3],[4,5]]");
    assert_json(CALL("array_split", DYN("[1,2,3]"), kql_long(-1)), "[[1,2],[3]]");
    assert_json(CALL("array_split", DYN("[1,2,3]"), kql_long(99)), "[[1,2,3]]");
    assert_real(CALL("array_sum", DYN("[1,2,3,4]")), 10);
    cr_assert(CALL("array_sum", DYN("[1,\"x\"]")).is_null);
    assert_json(CALL("array_reverse", DYN("[\"this\",\"is\",\"an\",\"example\"]")),
                "[\"example\",\"an\",\"is\",\"this\"]");
}

Test(functions_more, array_iff_and_zip)
{
    assert_json(CALL("array_iff", DYN("[true,false,true]"), DYN("[1,2,3]"), DYN("[4,5,6]")), "[1,5,3]");
    assert_json(CALL("array_iff", DYN("[true,true,true]"), DYN("[1,2]"), DYN("[3,4]")), "[1,2,null]");
    assert_json(CALL("array_iff", DYN("[1,\"x\",null,false]"), kql_long(1), kql_long(0)),
                "[null,null,null,0]");
    assert_json(CALL("zip", DYN("[1,3,5]"), DYN("[2,4,6]")), "[[1,2],[3,4],[5,6]]");
    assert_json(CALL("zip", DYN("[1]"), DYN("[2,4]")), "[[1,2],[null,4]]");
    cr_assert(CALL("zip", DYN("[1]"), DYN("3")).is_null);
}

Test(functions_more, sets_keep_first_appearance_order)
{
    kql_value a1 = DYN("[1,2,1,4]"), a2 = DYN("[1,2]"), a3 = DYN("[8]");
    assert_json(CALL("set_union", a1, a2, a3), "[1,2,4,8]");
    assert_json(CALL("set_intersect", a1, a2), "[1,2]");
    assert_json(CALL("set_intersect", DYN("[1,2,3]"), DYN("[4,5]")), "[]");
    assert_json(CALL("set_difference", a1, a2, a3), "[4]");
    assert_json(CALL("set_difference", DYN("[1,2,3]"), DYN("[1,2,3]")), "[]");
    /* an element repeated in a later array counts once per array */
    assert_json(CALL("set_intersect", DYN("[1,2]"), DYN("[2,2]"), DYN("[1]")), "[]");
    assert_bool(CALL("set_has_element", DYN("[\"a\",1]"), S("a")), true);
    assert_bool(CALL("set_has_element", DYN("[\"a\",1]"), kql_real(1.0)), true);
    assert_bool(CALL("set_has_element", DYN("[\"a\",1]"), S("b")), false);
    assert_real(CALL("jaccard_index", DYN("[1,2,3]"), DYN("[1,2,3,4]")), 0.75);
    cr_assert(isnan(CALL("jaccard_index", DYN("[]"), DYN("[]")).u.r));
}

Test(functions_more, bags)
{
    /* bag-merge-function#1: the first bag's value wins */
    assert_json(CALL("bag_merge", DYN("{\"A1\":12,\"B1\":2}"), DYN("{\"A2\":81,\"A1\":1}")),
                "{\"A1\":12,\"B1\":2,\"A2\":81}");
    assert_json(CALL("bag_remove_keys", DYN("{\"key1\":123,\"key2\":\"abc\"}"), DYN("[\"key2\",\"key4\"]")),
                "{\"key1\":123}");
    assert_json(CALL("bag_set_key", DYN("{\"key1\":1,\"key3\":\"abc\"}"), S("key3"), kql_long(3)),
                "{\"key1\":1,\"key3\":3}");
    assert_json(CALL("bag_set_key", DYN("{\"key1\":1}"), S("$.key2"), S("x")), "{\"key1\":1,\"key2\":\"x\"}");
    assert_json(CALL("bag_zip", DYN("[\"a\",8,\"b\"]"), DYN("1")), "{\"a\":null,\"b\":null}");
    assert_json(CALL("bag_zip", DYN("[\"a\",\"b\"]"), DYN("[1,\"2\",2.5]")), "{\"a\":1,\"b\":\"2\"}");
    assert_str(CALL("dynamic_to_json", DYN("{\"b\":{\"d\":1,\"c\":[{\"z\":0,\"y\":1}]},\"a\":[]}")),
               "{\"a\":[],\"b\":{\"c\":[{\"y\":1,\"z\":0}],\"d\":1}}");
    assert_str(CALL("dynamic_to_json", kql_null(KQL_DYNAMIC)), "null");
}

/* ---- IPv4 ---- */

Test(functions_more, ipv4_parsing_and_masks)
{
    assert_long(CALL("parse_ipv4", S("192.168.1.1")), 3232235777LL);
    assert_long(CALL("parse_ipv4", S("192.168.1.1/24")), 3232235776LL);
    assert_long(CALL("parse_ipv4", S("255.255.255.255/31")), 4294967294LL);
    const char *bad[] = { "256.1.1.1", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1..2.3", "1.2.3.4.5",
                          "01234.1.1.1", "", "1.2.3.4 x", "\xff.1.1.1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(CALL("parse_ipv4", S(bad[i])).is_null, "%s parsed", bad[i]);
    assert_long(CALL("parse_ipv4_mask", S("10.20.30.40"), kql_long(16)), 169082880LL);
    cr_assert(CALL("parse_ipv4_mask", S("10.20.30.40"), kql_long(40)).is_null);
    assert_long(CALL("ipv4_netmask_suffix", S("192.168.1.1/24")), 24);
    assert_long(CALL("ipv4_netmask_suffix", S("10.1.2.3")), 32);
    assert_str(CALL("format_ipv4", S("192.168.1.1"), kql_long(24)), "192.168.1.0");
    assert_str(CALL("format_ipv4", kql_long(3232235777LL)), "192.168.1.1");
    assert_str(CALL("format_ipv4", kql_long(-1)), "");
    assert_str(CALL("format_ipv4_mask", S("192.168.1.1/24"), kql_long(32)), "192.168.1.0/24");
    assert_str(CALL("format_ipv4_mask", S("192.168.1.1/24"), kql_long(-1)), "");
}

Test(functions_more, ipv4_comparisons)
{
    assert_long(CALL("ipv4_compare", S("192.168.1.1"), S("192.168.1.255")), -1);
    assert_long(CALL("ipv4_compare", S("192.168.1.1"), S("192.168.1.0"), kql_long(31)), 0);
    assert_long(CALL("ipv4_compare", S("192.168.1.1/24"), S("192.168.1.255"), kql_long(31)), 0);
    cr_assert(CALL("ipv4_compare", S("x"), S("1.2.3.4")).is_null);
    assert_bool(CALL("ipv4_is_match", S("192.168.1.1/24"), S("192.168.1.255")), true);
    assert_bool(CALL("ipv4_is_match", S("192.168.1.1"), S("192.168.1.255")), false);
    assert_bool(CALL("ipv4_is_in_range", S("192.168.1.1"), S("192.168.1.255/24")), true);
    assert_bool(CALL("ipv4_is_in_range", S("192.168.2.1"), S("192.168.1.255/24")), false);
    assert_bool(CALL("ipv4_is_in_any_range", S("192.168.1.6"), S("10.0.0.1/8"), S("192.168.1.1/24")), true);
    assert_bool(CALL("ipv4_is_in_any_range", S("127.0.0.1"), DYN("[\"bad\",\"127.0.0.1\"]")), true);
    assert_bool(CALL("ipv4_is_in_any_range", S("127.0.0.2"), DYN("[\"127.0.0.1\"]")), false);
    assert_bool(CALL("ipv4_is_private", S("172.31.255.255")), true);
    assert_bool(CALL("ipv4_is_private", S("172.32.0.0")), false);
    assert_bool(CALL("ipv4_is_private", S("10.1.2.3/24")), true);
    /* a range wider than the private block is not private */
    assert_bool(CALL("ipv4_is_private", S("10.0.0.0/7")), false);
    cr_assert(CALL("ipv4_is_private", S("localhost")).is_null);
}

Test(functions_more, ipv4_in_text_must_be_delimited)
{
    kql_value log = S("05:04:54 127.0.0.1 GET /favicon.ico 404");
    assert_bool(CALL("has_ipv4", log, S("127.0.0.1")), true);
    assert_bool(CALL("has_ipv4", S("05:04:54127.0.0.1 GET"), S("127.0.0.1")), false);
    assert_bool(CALL("has_ipv4", S("at 127.0.0.256 now"), S("127.0.0.256")), false);
    assert_bool(CALL("has_ipv4", S("Source address is 10.1.2.3:1234"), S("10.1.2.3")), true);
    assert_bool(CALL("has_ipv4", S("from 10.1.2.3."), S("10.1.2.3")), true);
    assert_bool(CALL("has_ipv4", S("v1.10.1.2.3"), S("10.1.2.3")), false);
    assert_bool(CALL("has_ipv4_prefix", log, S("127.0.")), true);
    assert_bool(CALL("has_ipv4_prefix", log, S("127.0")), false);
    assert_bool(CALL("has_any_ipv4", log, S("127.0.0.2"), S("127.0.0.1")), true);
    assert_bool(CALL("has_any_ipv4", log, DYN("[\"10.0.0.1\"]")), false);
    assert_bool(CALL("has_any_ipv4_prefix", log, DYN("[\"10.\",\"127.\"]")), true);
}

/* ---- encodings ---- */

Test(functions_more, base64_round_trips)
{
    assert_str(CALL("base64_encode_tostring", S("Kusto")), "S3VzdG8=");
    assert_str(CALL("base64_encode_tostring", S("")), "");
    assert_str(CALL("base64_decode_tostring", S("S3VzdG8=")), "Kusto");
    /* base64-decode-tostring-function#2: bytes that aren't UTF-8 give "" */
    assert_str(CALL("base64_decode_tostring", S("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")), "");
    assert_str(CALL("base64_decode_tostring", S("S3VzdG8")), "");
    assert_str(CALL("base64_decode_tostring", S("S3=zdG8=")), "");
    assert_json(CALL("base64_decode_toarray", S("S3VzdG8=")), "[75,117,115,116,111]");
    assert_str(CALL("base64_encode_fromarray", DYN("[75,117,115,116,111]")), "S3VzdG8=");
    assert_str(CALL("base64_encode_fromarray", DYN("[256]")), "");
    kql_guid g;
    cr_assert(kql_guid_parse("ae3133f2-6e22-49ae-b06a-16e6a9b212eb", 36, &g));
    kql_value gv = { .type = KQL_GUID, .is_null = false, .u.g = g };
    assert_str(CALL("base64_encode_fromguid", gv), "8jMxriJurkmwahbmqbIS6w==");
    kql_value back = CALL("base64_decode_toguid", S("8jMxriJurkmwahbmqbIS6w=="));
    cr_assert(!back.is_null && memcmp(back.u.g.b, g.b, 16) == 0);
}

Test(functions_more, urls_and_code_points)
{
    assert_str(CALL("url_decode", S("https%3a%2f%2fwww.bing.com%2f")), "https://www.bing.com/");
    assert_str(CALL("url_decode", S("100%")), "100%");
    assert_str(CALL("url_decode", S("%ff")), "");
    assert_str(CALL("url_encode_component", S("hello world/")), "hello%20world%2f");
    assert_str(CALL("url_encode", S("a b&c")), "a+b%26c");
    assert_json(CALL("unicode_codepoints_from_string", S("\u2466a")), "[9318,97]");
    /* a malformed byte is its own code point, as strlen counts it */
    assert_json(CALL("unicode_codepoints_from_string", S("\xff")), "[255]");
    assert_str(CALL("unicode_codepoints_to_string", DYN("[75,117,115]"), kql_long(116), kql_long(111)),
               "Kusto");
    cr_assert(CALL("unicode_codepoints_to_string", kql_long(0xD800)).is_null);
    cr_assert(CALL("unicode_codepoints_to_string", kql_long(-1)).is_null);
    assert_bool(CALL("isascii", S("some string")), true);
    assert_bool(CALL("isascii", S("caf\xc3\xa9")), false);
    assert_bool(CALL("isutf8", S("caf\xc3\xa9")), true);
    assert_bool(CALL("isutf8", S("caf\xc3")), false);
    assert_bool(CALL("isutf8", S("\xc0\x80")), false);   /* overlong */
}

Test(functions_more, bits_and_hex)
{
    assert_long(CALL("binary_or", kql_long(5), kql_long(3)), 7);
    assert_long(CALL("binary_xor", kql_long(1), kql_long(2)), 3);
    assert_long(CALL("binary_shift_right", kql_long(1), kql_long(2)), 0);
    assert_long(CALL("binary_shift_left", kql_long(1), kql_long(64)), 0);
    assert_long(CALL("binary_shift_left", kql_long(1), kql_long(-1)), 0);
    assert_long(CALL("bitset_count_ones", kql_long(-1)), 64);
    assert_str(CALL("tohex", kql_long(256)), "100");
    assert_str(CALL("tohex", kql_long(-546)), "fffffffffffffdde");
    assert_str(CALL("tohex", kql_long(546), kql_long(8)), "00000222");
    assert_str(CALL("tohex", kql_long(1), kql_long(INT64_MAX)),
               "0000000000000000000000000000000000000000000000000000000000000001");
}

Test(functions_more, hashes)
{
    /* hash-xxhash64-function#1, hash-function#2 and #3 */
    assert_long(CALL("hash_xxhash64", S("World")), 1846988464401551951LL);
    assert_long(CALL("hash", S("World"), kql_long(100)), 51);
    int64_t t;
    cr_assert(kql_datetime_parse("2015-01-01", 10, &t));
    assert_long(CALL("hash", kql_datetime(t)), 1380966698541616202LL);
    cr_assert(CALL("hash", S("x"), kql_long(0)).is_null);
    /* the standard "abc" vectors, and a message spanning two blocks */
    assert_str(CALL("hash_md5", S("abc")), "900150983cd24fb0d6963f7d28e17f72");
    assert_str(CALL("hash_sha1", S("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_str(CALL("hash_sha256", S("abc")),
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_str(CALL("hash_sha256", S("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_str(CALL("hash_md5", S("")), "d41d8cd98f00b204e9800998ecf8427e");
    /* hash-sha256-function#1 */
    assert_str(CALL("hash_sha256", S("World")),
               "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524");
}
