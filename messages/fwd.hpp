#pragma once

// The message vocabulary of Parley: every type that crosses actors or nodes,
// the atoms, the typed actor interfaces and the single type-ID block that
// registers them all (see `register_message_types`).

#include <cstdint>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

namespace parley {

// -- message types, alphabetically --------------------------------------------

struct audio_done;
struct audio_progress;
struct audio_request;
struct audio_transcribed;
struct audio_translated;
struct audio_window;
struct batch_output;
struct cache_answer;
struct cache_fill;
struct cache_key;
struct cache_query;
struct direct_lookup;
struct cached_speech;
struct cached_text;
struct cached_transcript;
struct cluster_status;
struct conversation_keys;
struct decoded_speech;
enum class detection_method : uint8_t;
struct encoded_speech;
struct gateway_audio;
struct gateway_ids;
struct gateway_translate;
struct job_result;
struct join_reply;
struct join_request;
enum class lane : uint8_t;
struct language_detection;
struct language_history;
struct language_routes;
struct metrics;
struct model_status;
struct node_status;
enum class model_task : uint8_t;
struct pool_status;
struct redis_commands;
struct redis_replies;
struct replica_info;
struct replica_status;
struct server_status;
struct speech_key;
struct synthesis;
struct synthesize_request;
struct tier_text_answer;
struct tier_text_key;
struct transcript_key;
struct transcription;
struct translate_request;
struct translation;
struct translation_batch;
struct translation_done;
struct translation_failure;
struct translation_job;
struct zmq_frames;

// -- atoms --------------------------------------------------------------------

using abandon_atom = caf::atom_constant<caf::atom("abandon")>;
using cluster_atom = caf::atom_constant<caf::atom("cluster")>;
using connect_atom = caf::atom_constant<caf::atom("connect")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using decode_atom = caf::atom_constant<caf::atom("decode")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using encode_atom = caf::atom_constant<caf::atom("encode")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using fill_atom = caf::atom_constant<caf::atom("fill")>;
using infer_atom = caf::atom_constant<caf::atom("infer")>;
using join_atom = caf::atom_constant<caf::atom("join")>;
using languages_atom = caf::atom_constant<caf::atom("languages")>;
using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using probe_atom = caf::atom_constant<caf::atom("probe")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using recall_atom = caf::atom_constant<caf::atom("recall")>;
using remember_atom = caf::atom_constant<caf::atom("remember")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using store_atom = caf::atom_constant<caf::atom("store")>;
using synthesize_atom = caf::atom_constant<caf::atom("synthesize")>;
using transcribe_atom = caf::atom_constant<caf::atom("transcribe")>;
using unavailable_atom = caf::atom_constant<caf::atom("unavail")>;

// -- typed actor interfaces ---------------------------------------------------

/// Anything that reports counters for `/metrics` and `/stats`.
using stats_source =
    caf::typed_actor<caf::replies_to<stats_atom>::with<metrics>>;

/// Receives the events of translation requests it submitted: one
/// `translation` or `translation_failure` per target language, then one
/// `translation_done` per request.
using translation_sink = caf::typed_actor<caf::reacts_to<translation>,
                                          caf::reacts_to<translation_failure>,
                                          caf::reacts_to<translation_done>>;

/// A replica of a model (models/model_actor, models/speech_actor): it owns
/// one backend and answers one batch of its task's jobs at a time, whatever
/// the task; a batch of another task is refused with an error. One handle
/// type for every task, so that pools, launchers and nodes name replicas
/// once.
using replica_actor = caf::typed_actor<
    caf::replies_to<infer_atom, translation_batch>::with<batch_output>,
    caf::replies_to<infer_atom, audio_window>::with<transcription>,
    caf::replies_to<infer_atom, synthesize_request>::with<synthesis>>;

/// What a model's supervisor tells the pool in front of its replicas: the
/// model failed to start and no replica serves it.
using replica_dispatcher =
    caf::typed_actor<caf::reacts_to<unavailable_atom, caf::error>>;

/// Anything that answers a pool's status.
using pool_status_source =
    caf::typed_actor<caf::replies_to<status_atom>::with<pool_status>>;

/// The pool of one model (actors/replica_pool), one handle type for every
/// task: it queues its task's jobs (translation jobs, audio windows or texts
/// to speak) and hands batches to free replicas, which announce themselves
/// to it from this node or another. A job of another task is refused with
/// an error. It answers its status; on `drain` it takes no new work and
/// answers once its queue is empty. On `ready` it answers its status once a
/// replica joined or the model was reported unavailable.
using pool_actor = stats_source::extend_with<replica_dispatcher>::
    extend_with<pool_status_source>::extend<
        caf::reacts_to<ready_atom, replica_info, replica_actor>,
        caf::replies_to<ready_atom>::with<pool_status>,
        caf::replies_to<drain_atom>::with<done_atom>,
        caf::reacts_to<caf::flush_atom>,
        caf::replies_to<infer_atom, translation_job>::with<job_result>,
        caf::replies_to<transcribe_atom, audio_window>::with<transcription>,
        caf::replies_to<synthesize_atom, synthesize_request>::with<synthesis>>;

/// A worker node's agent (cluster/worker_node): it (re)joins its front on
/// `connect`, answers its status, and takes a join offered by a front that
/// lists it as a static worker (with the cluster token). The front monitors
/// it to notice the node's loss.
using worker_actor =
    caf::typed_actor<caf::replies_to<status_atom>::with<node_status>,
                     caf::reacts_to<connect_atom>,
                     caf::reacts_to<join_atom, join_reply, std::string>>;

/// The front's cluster port (cluster/cluster_front): workers join through it
/// and `/cluster` reads it.
using cluster_actor = stats_source::extend<
    caf::replies_to<join_atom, join_request, worker_actor>::with<join_reply>,
    caf::replies_to<status_atom>::with<cluster_status>,
    caf::reacts_to<caf::put_atom, std::string, pool_actor>,
    caf::reacts_to<caf::delete_atom, std::string>,
    caf::reacts_to<caf::tick_atom>>;

/// Decodes recordings and encodes speech with FFmpeg, on a thread of its own
/// (io/media/audio_codec_actor).
using codec_actor = caf::typed_actor<
    caf::replies_to<decode_atom, std::string>::with<decoded_speech>,
    caf::replies_to<encode_atom, synthesis, std::string>::with<encoded_speech>>;

/// Receives the events of audio requests it submitted: `audio_progress`
/// after each recognized window, `audio_transcribed` once, then one
/// `audio_translated` per target language, then `audio_done`.
using audio_sink = caf::typed_actor<
    caf::reacts_to<audio_progress>, caf::reacts_to<audio_transcribed>,
    caf::reacts_to<audio_translated>, caf::reacts_to<audio_done>>;

/// One audio request in flight (actors/audio_handler); it hears the
/// translations of its transcript like any client.
using audio_handler_actor =
    translation_sink::extend<caf::reacts_to<expire_atom>>;

/// Watches the replicas of one model and restarts them.
using supervisor_actor =
    stats_source::extend<caf::reacts_to<ready_atom, replica_info>,
                         caf::reacts_to<restart_atom, uint32_t>>;

/// Asks the cache and hears back: first a `cache_answer` to its lookup, then
/// a `fill` for every language it waits for. The cache answers by plain
/// messages rather than request/response: CAF's response bookkeeping costs a
/// measurable share of the cache-hit path.
using cache_waiter =
    caf::typed_actor<caf::reacts_to<cache_answer>,
                     caf::reacts_to<fill_atom, std::string, cached_text>,
                     caf::reacts_to<fill_atom, std::string, caf::error>>;

/// The translation cache (actors/cache).
using cache_actor = stats_source::extend<
    caf::reacts_to<lookup_atom, cache_query>,
    caf::replies_to<lookup_atom, direct_lookup>::with<bool>,
    caf::reacts_to<store_atom, cache_fill>,
    caf::reacts_to<abandon_atom, cache_key, caf::error>>;

/// Audio results keyed by the hash of the recording: transcriptions, and
/// spoken translations per language and voice (actors/audio_cache, and the
/// shared tier behind it).
using audio_cache_actor = stats_source::extend<
    caf::replies_to<lookup_atom, transcript_key>::with<cached_transcript>,
    caf::reacts_to<store_atom, transcript_key, transcription>,
    caf::replies_to<lookup_atom, speech_key>::with<cached_speech>,
    caf::reacts_to<store_atom, speech_key, cached_speech>>;

/// The languages recently detected per conversation and per sender
/// (actors/conversation_memory): the prior of short-text detection.
using conversation_memory_actor = caf::typed_actor<
    caf::replies_to<recall_atom, conversation_keys>::with<language_history>,
    caf::reacts_to<remember_atom, conversation_keys, std::string>>;

/// A front's own conversation memory (actors/conversation_memory): the
/// memory, and its counters for `/metrics`.
using local_conversation_memory_actor =
    stats_source::extend_with<conversation_memory_actor>;

/// The shared second cache tier on Redis (io/redis/redis_tier), in the keys and
/// values of the service Parley replaces. A text lookup answers not found
/// when the asker must compute (after taking the cross-front lock); the
/// asker then stores or abandons the text. It is also the conversation
/// memory shared by the fronts. Nothing here ever waits longer than the
/// configured timeout on Redis itself.
using redis_tier_actor =
    audio_cache_actor::extend_with<conversation_memory_actor>::extend<
        caf::replies_to<lookup_atom, tier_text_key>::with<tier_text_answer>,
        caf::reacts_to<store_atom, tier_text_key, cached_text>,
        caf::reacts_to<abandon_atom, tier_text_key>>;

/// Owns one blocking Redis connection on a thread of its own
/// (io/redis/redis_worker): runs pipelines and (re)connects.
using redis_worker_actor = caf::typed_actor<
    caf::replies_to<run_atom, redis_commands>::with<redis_replies>,
    caf::replies_to<connect_atom>::with<redis_replies>>;

/// One translation request in flight (actors/translation_handler).
using translation_handler_actor =
    cache_waiter::extend<caf::reacts_to<expire_atom>>;

/// Validates requests, spawns handlers and drains them on shutdown.
using router_actor = stats_source::extend<
    caf::reacts_to<translate_request, translation_sink>,
    caf::reacts_to<audio_request, audio_sink>,
    caf::reacts_to<done_atom, uint64_t, bool>,
    caf::replies_to<shutdown_atom, caf::timespan>::with<done_atom>,
    caf::replies_to<caf::put_atom, std::string, pool_actor>::with<done_atom>,
    caf::replies_to<caf::delete_atom, std::string>::with<done_atom>,
    caf::reacts_to<expire_atom>, caf::reacts_to<caf::tick_atom>>;

/// What the edges (HTTP, the voice API) ask of the server as a whole
/// (server/admin_actor): every model with its pool's status, each asked at
/// once and the silent ones left out after `within`; the counters; the
/// cluster; models loaded (a name and a model table as TOML, the keys of
/// `[models.NAME]`) and unloaded (false: no such model) while serving; and
/// the models that are not settled after `within` (`ready`).
using admin_actor = stats_source::extend<
    caf::replies_to<status_atom, caf::timespan>::with<server_status>,
    caf::replies_to<cluster_atom, caf::timespan>::with<cluster_status>,
    caf::replies_to<caf::put_atom, std::string, std::string>::with<done_atom>,
    caf::replies_to<caf::delete_atom, std::string>::with<bool>,
    caf::replies_to<ready_atom, caf::timespan>::with<std::vector<std::string>>>;

/// Merges the counters of every stats source; more can join later.
using stats_actor =
    stats_source::extend<caf::reacts_to<caf::add_atom, stats_source>>;

} // namespace parley

// -- type-ID block ------------------------------------------------------------

CAF_BEGIN_TYPE_ID_BLOCK(parley, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(parley, (parley::audio_done))
CAF_ADD_TYPE_ID(parley, (parley::audio_progress))
CAF_ADD_TYPE_ID(parley, (parley::audio_request))
CAF_ADD_TYPE_ID(parley, (parley::audio_transcribed))
CAF_ADD_TYPE_ID(parley, (parley::audio_translated))
CAF_ADD_TYPE_ID(parley, (parley::audio_window))
CAF_ADD_TYPE_ID(parley, (parley::batch_output))
CAF_ADD_TYPE_ID(parley, (parley::cache_answer))
CAF_ADD_TYPE_ID(parley, (parley::cache_fill))
CAF_ADD_TYPE_ID(parley, (parley::cache_key))
CAF_ADD_TYPE_ID(parley, (parley::cache_query))
CAF_ADD_TYPE_ID(parley, (parley::cached_speech))
CAF_ADD_TYPE_ID(parley, (parley::cached_text))
CAF_ADD_TYPE_ID(parley, (parley::cached_transcript))
CAF_ADD_TYPE_ID(parley, (parley::cluster_status))
CAF_ADD_TYPE_ID(parley, (parley::conversation_keys))
CAF_ADD_TYPE_ID(parley, (parley::decoded_speech))
CAF_ADD_TYPE_ID(parley, (parley::direct_lookup))
CAF_ADD_TYPE_ID(parley, (parley::detection_method))
CAF_ADD_TYPE_ID(parley, (parley::encoded_speech))
CAF_ADD_TYPE_ID(parley, (parley::gateway_audio))
CAF_ADD_TYPE_ID(parley, (parley::gateway_ids))
CAF_ADD_TYPE_ID(parley, (parley::gateway_translate))
CAF_ADD_TYPE_ID(parley, (parley::job_result))
CAF_ADD_TYPE_ID(parley, (parley::join_reply))
CAF_ADD_TYPE_ID(parley, (parley::join_request))
CAF_ADD_TYPE_ID(parley, (parley::lane))
CAF_ADD_TYPE_ID(parley, (parley::language_detection))
CAF_ADD_TYPE_ID(parley, (parley::language_history))
CAF_ADD_TYPE_ID(parley, (parley::language_routes))
CAF_ADD_TYPE_ID(parley, (parley::metrics))
CAF_ADD_TYPE_ID(parley, (parley::model_status))
CAF_ADD_TYPE_ID(parley, (parley::model_task))
CAF_ADD_TYPE_ID(parley, (parley::node_status))
CAF_ADD_TYPE_ID(parley, (parley::pool_status))
CAF_ADD_TYPE_ID(parley, (parley::redis_commands))
CAF_ADD_TYPE_ID(parley, (parley::redis_replies))
CAF_ADD_TYPE_ID(parley, (parley::replica_info))
CAF_ADD_TYPE_ID(parley, (parley::replica_status))
CAF_ADD_TYPE_ID(parley, (parley::server_status))
CAF_ADD_TYPE_ID(parley, (parley::speech_key))
CAF_ADD_TYPE_ID(parley, (parley::synthesis))
CAF_ADD_TYPE_ID(parley, (parley::synthesize_request))
CAF_ADD_TYPE_ID(parley, (parley::tier_text_answer))
CAF_ADD_TYPE_ID(parley, (parley::tier_text_key))
CAF_ADD_TYPE_ID(parley, (parley::transcript_key))
CAF_ADD_TYPE_ID(parley, (parley::transcription))
CAF_ADD_TYPE_ID(parley, (parley::translate_request))
CAF_ADD_TYPE_ID(parley, (parley::translation))
CAF_ADD_TYPE_ID(parley, (parley::translation_batch))
CAF_ADD_TYPE_ID(parley, (parley::translation_done))
CAF_ADD_TYPE_ID(parley, (parley::translation_failure))
CAF_ADD_TYPE_ID(parley, (parley::translation_job))
CAF_ADD_TYPE_ID(parley, (parley::zmq_frames))

CAF_ADD_TYPE_ID(parley, (parley::audio_sink))
CAF_ADD_TYPE_ID(parley, (parley::cluster_actor))
CAF_ADD_TYPE_ID(parley, (parley::pool_actor))
CAF_ADD_TYPE_ID(parley, (parley::replica_actor))
CAF_ADD_TYPE_ID(parley, (parley::translation_sink))
CAF_ADD_TYPE_ID(parley, (parley::worker_actor))

CAF_END_TYPE_ID_BLOCK(parley)
