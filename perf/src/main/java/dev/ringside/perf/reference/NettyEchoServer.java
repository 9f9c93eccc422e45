package dev.ringside.perf.reference;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A Netty echo server with one event loop thread, TCP and/or UDP, on the NIO or the native epoll transport:
 * the reference the end-to-end harness compares Ringside's selector loop with. Usage:
 * {@code NettyEchoServer nio|epoll [--udp-receive-buffer BYTES] --tcp HOST:PORT [--udp HOST:PORT]}. Prints one
 * {@code listening} line per endpoint and runs until killed. {@code --udp-receive-buffer} sets {@code SO_RCVBUF}
 * of the UDP sockets (as {@code ringside server --udp-receive-buffer} does), so both can be given the same.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /**
     * Entry point.
     *
     * @param args transport, then {@code --tcp}/{@code --udp} addresses
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(final String[] args) throws InterruptedException {
        if (args.length < 3 || !("nio".equals(args[0]) || "epoll".equals(args[0]))) {
            System.err.println(
                "usage: NettyEchoServer nio|epoll [--udp-receive-buffer BYTES] --tcp HOST:PORT [--udp HOST:PORT]");
            System.exit(2);
        }
        final boolean epoll = "epoll".equals(args[0]);
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        final CountDownLatch forever = new CountDownLatch(1);
        int udpReceiveBufferBytes = 0;
        try {
            for (int i = 1; i + 1 < args.length; i += 2) {
                if ("--udp-receive-buffer".equals(args[i])) {
                    udpReceiveBufferBytes = Integer.parseInt(args[i + 1]);
                    continue;
                }
                final InetSocketAddress address = parse(args[i + 1]);
                final Channel channel;
                if ("--tcp".equals(args[i])) {
                    channel = new ServerBootstrap().group(group)
                        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
                        .childHandler(new TcpEcho())
                        .bind(address).sync().channel();
                    print("tcp", channel, epoll);
                } else if ("--udp".equals(args[i])) {
                    final Class<? extends DatagramChannel> type =
                        epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
                    final Bootstrap bootstrap = new Bootstrap().group(group).channel(type).handler(new UdpEcho());
                    if (udpReceiveBufferBytes > 0) {
                        bootstrap.option(ChannelOption.SO_RCVBUF, udpReceiveBufferBytes);
                    }
                    channel = bootstrap.bind(address).sync().channel();
                    print("udp", channel, epoll);
                } else {
                    throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            forever.await();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static void print(final String kind, final Channel channel, final boolean epoll) {
        final InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        System.out.println("listening " + kind + " " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
            + " netty-" + (epoll ? "epoll" : "nio"));
        System.out.flush();
    }

    private static InetSocketAddress parse(final String text) {
        final int colon = text.lastIndexOf(':');
        return new InetSocketAddress(colon <= 0 ? "127.0.0.1" : text.substring(0, colon),
            Integer.parseInt(text.substring(colon + 1)));
    }

    /** Writes every read buffer back and flushes once per read batch, as Netty's own echo example does. */
    @ChannelHandler.Sharable
    private static final class TcpEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            ctx.close();
        }
    }

    /** Sends each datagram back to its sender. */
    @ChannelHandler.Sharable
    private static final class UdpEcho extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet) {
            ctx.write(new DatagramPacket(packet.content().retain(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
